// The body of a parse-pool thread (see parse-pool.ts): parseFeed, with its error handed back as data
// so that the kind survives the trip between threads.
import { isFeedFetchError } from './errors.ts';
import { parseFeed, type ParsedFeed, type ParseFeedOptions } from './parse-feed.ts';

export interface ParseTask {
  text: string;
  opts: ParseFeedOptions;
}

export type ParseTaskResult = { ok: true; feed: ParsedFeed } | { ok: false; kind: string; message: string; url?: string };

export default async function parseTask({ text, opts }: ParseTask): Promise<ParseTaskResult> {
  try {
    return { ok: true, feed: await parseFeed(text, opts) };
  } catch (error) {
    if (isFeedFetchError(error)) return { ok: false, kind: error.kind, message: error.message, url: error.url };
    return { ok: false, kind: 'parse', message: `feeds: cannot parse the feed at ${opts.feedUrl}: ${error instanceof Error ? error.message : String(error)}`, url: opts.feedUrl };
  }
}

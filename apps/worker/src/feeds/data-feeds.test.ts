// Checks the shipped starting list, data/feeds.yaml, against the config schema and our own rules.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseFeedsFile } from '@signpost/config';
import { describe, expect, it } from 'vitest';
import { canonicalizeUrl } from './identity.ts';
import { isBlockedAddress } from './ssrf.ts';

const file = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../data/feeds.yaml');
const SIDES = ['russia-state', 'russia-press', 'russia-exile', 'china-state', 'western', 'regional', 'think-tank'];

describe('data/feeds.yaml', () => {
  const text = fs.readFileSync(file, 'utf8');
  const { feeds, problems } = parseFeedsFile(text, 'feeds.yaml');

  it('is valid for the config loader', () => {
    expect(problems).toEqual([]);
    expect(feeds.length).toBeGreaterThanOrEqual(12);
    expect(feeds.length).toBeLessThanOrEqual(25);
  });

  it('gives every feed a title, a language and a side, with no duplicate or private URL', () => {
    const seen = new Set<string>();
    for (const f of feeds) {
      expect(f.title, f.url).toBeTruthy();
      expect(f.language, f.url).toBeTruthy();
      expect(
        f.tags.some((t) => SIDES.includes(t)),
        `${f.url} has a side tag`,
      ).toBe(true);
      const canonical = canonicalizeUrl(f.url)!;
      expect(seen.has(canonical), `${f.url} listed once`).toBe(false);
      seen.add(canonical);
      const host = new URL(f.url).hostname.replace(/^\[|\]$/g, '');
      expect(net.isIP(host) === 0 || !isBlockedAddress(host), `${f.url} is not a private address`).toBe(true);
      expect(host.includes('.'), `${f.url} has a public host name`).toBe(true);
    }
  });

  it('covers Russian, Chinese, Western and regional sides in more than one language', () => {
    const tags = new Set(feeds.flatMap((f) => f.tags));
    for (const side of ['russia-state', 'russia-exile', 'china-state', 'western', 'regional', 'think-tank']) {
      expect(tags.has(side), side).toBe(true);
    }
    const languages = new Set(feeds.map((f) => f.language?.split('-')[0]));
    expect([...languages].sort()).toEqual(['en', 'ru', 'zh']);
  });

  it('explains each feed with a comment', () => {
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (/^\s*- url:/.test(line)) expect(lines[i - 1]?.trim().startsWith('#'), `comment above line ${i + 1}`).toBe(true);
    });
  });
});

import fs from 'node:fs/promises';
import path from 'node:path';
import { importOpml, OpmlImportError } from '../feeds/opml.ts';

/**
 * `signpost feeds import FILE.opml`: appends the OPML file's feeds to `<dataDir>/feeds.yaml`,
 * keeping the file's comments, and prints what was added and skipped. Exit code 0 on success
 * (also when nothing was new), 1 when the OPML or feeds.yaml cannot be read or written.
 */
export async function feedsImportCommand(opts: { file: string; dataDir: string; out: NodeJS.WritableStream }): Promise<number> {
  const { file, dataDir, out } = opts;
  const feedsPath = path.join(dataDir, 'feeds.yaml');
  let opmlText: string;
  try {
    opmlText = await fs.readFile(file, 'utf8');
  } catch (err) {
    out.write(`feeds: cannot read ${file}: ${(err as Error).message}\n`);
    return 1;
  }
  let existing = '';
  try {
    existing = await fs.readFile(feedsPath, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      out.write(`feeds: cannot read ${feedsPath}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  let result: ReturnType<typeof importOpml>;
  try {
    result = importOpml(opmlText, existing, { source: path.basename(file) });
  } catch (err) {
    if (err instanceof OpmlImportError) {
      out.write(`${err.message.replace('feeds: feeds.yaml', `feeds: ${feedsPath}`)}\n`);
      return 1;
    }
    throw err;
  }
  if (result.added.length > 0) {
    try {
      await fs.mkdir(dataDir, { recursive: true });
      const tmp = `${feedsPath}.${process.pid}.tmp`;
      await fs.writeFile(tmp, result.yamlText, 'utf8');
      await fs.rename(tmp, feedsPath); // atomic: a running worker never reads a half-written file
    } catch (err) {
      out.write(`feeds: cannot write ${feedsPath}: ${(err as Error).message}\n`);
      return 1;
    }
  }
  out.write(
    `feeds: added ${result.added.length} feed${result.added.length === 1 ? '' : 's'} from ${file} to ${feedsPath}, skipped ${result.skipped.length}\n`,
  );
  for (const f of result.added)
    out.write(`  + ${f.url}${f.title ? `  (${f.title})` : ''}${f.tags.length ? `  [${f.tags.join(', ')}]` : ''}\n`);
  for (const s of result.skipped) out.write(`  - ${s.url ?? s.title ?? '(outline)'}: ${s.reason}\n`);
  return 0;
}

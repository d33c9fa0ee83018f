// vitest globalSetup: builds dist/signpost.mjs once per run, for the tests that spawn the real CLI
// (signpostNodeArgs) as `npm start` runs it.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export default function buildBundle(): void {
  const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../scripts/build.mjs');
  const built = spawnSync(process.execPath, [script], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cannot build the signpost bundle (${script}): ${built.stderr || built.error?.message}`);
}

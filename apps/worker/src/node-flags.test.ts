import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SIGNPOST_BUNDLE, WORKER_NODE_FLAGS, signpostNodeArgs } from './node-flags.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const manifest = (file: string) => JSON.parse(read(file)) as { scripts: Record<string, string>; dependencies: Record<string, string> };
const execStart = (file: string) => read(file).match(/^ExecStart=(.*)$/m)![1]!;

describe('the worker runs bundled, under WORKER_NODE_FLAGS, wherever it is started', () => {
  const launchers: [string, string][] = [
    ['apps/worker/package.json: start (npm start)', manifest('apps/worker/package.json').scripts.start!],
    ['apps/worker/package.json: signpost', manifest('apps/worker/package.json').scripts.signpost!],
    ['package.json: start (npm start)', manifest('package.json').scripts.start!],
    ['package.json: signpost', manifest('package.json').scripts.signpost!],
    ['deploy/signpost.service', execStart('deploy/signpost.service')],
    ['deploy/signpost-worker@.service', execStart('deploy/signpost-worker@.service')],
  ];
  it.each(launchers)('%s', (_, command) => {
    // The last `node` of the command runs the bundle, with every flag between the two.
    const words = command.split(/\s+/);
    const bundle = words.findIndex((w) => w.endsWith('dist/signpost.mjs'));
    expect(bundle, `${command} does not run dist/signpost.mjs`).toBeGreaterThan(0);
    const node = words.slice(0, bundle).findLastIndex((w) => w === 'node' || w.endsWith('/node'));
    expect(words.slice(node + 1, bundle).sort(), command).toEqual([...WORKER_NODE_FLAGS].sort());
  });

  it('this Node accepts every flag (an unknown V8 flag would stop the worker at start)', () => {
    const run = spawnSync(process.execPath, [...WORKER_NODE_FLAGS, '-e', 'process.exit(0)'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('the bundle resolves the same PGlite as @signpost/db (the one package it leaves out)', () => {
    expect(manifest('apps/worker/package.json').dependencies['@electric-sql/pglite']).toBe(
      manifest('packages/db/package.json').dependencies['@electric-sql/pglite'],
    );
  });

  it('signpostNodeArgs runs the built bundle with the flags; the bundle answers --help', () => {
    expect(signpostNodeArgs('start')).toEqual([...WORKER_NODE_FLAGS, SIGNPOST_BUNDLE, 'start']);
    // Built by the global setup (bundle.global-setup.ts), as `npm start` builds it.
    const help = spawnSync(process.execPath, signpostNodeArgs('--help'), { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: signpost/m);
  });
});

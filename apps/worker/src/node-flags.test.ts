import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { WORKER_NODE_FLAGS, workerNodeArgs } from './node-flags.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const read = (file: string) => fs.readFileSync(path.join(root, file), 'utf8');
const script = (file: string, name: string) => (JSON.parse(read(file)) as { scripts: Record<string, string> }).scripts[name]!;
const execStart = (file: string) => read(file).match(/^ExecStart=(.*)$/m)![1]!;

describe('the worker runs with WORKER_NODE_FLAGS wherever it is started', () => {
  const launchers: [string, string][] = [
    ['apps/worker/package.json: start (npm start)', script('apps/worker/package.json', 'start')],
    ['apps/worker/package.json: signpost', script('apps/worker/package.json', 'signpost')],
    ['package.json: signpost', script('package.json', 'signpost')],
    ['deploy/signpost.service', execStart('deploy/signpost.service')],
    ['deploy/signpost-worker@.service', execStart('deploy/signpost-worker@.service')],
  ];
  it.each(launchers)('%s', (_, command) => {
    // The flags go to node itself, before the loader and the script.
    const words = command.split(/\s+/);
    const node = words.findIndex((w) => w === 'node' || w.endsWith('/node'));
    expect(node, command).toBeGreaterThanOrEqual(0);
    const script = words.findIndex((w) => w.endsWith('cli.ts'));
    for (const flag of WORKER_NODE_FLAGS) {
      const at = words.indexOf(flag);
      expect(at, `${command} lacks ${flag}`).toBeGreaterThan(node);
      expect(at, `${command}: ${flag} must come before the script`).toBeLessThan(script);
    }
  });

  it('workerNodeArgs puts the flags first, then tsx, the script and its arguments', () => {
    expect(workerNodeArgs('src/cli.ts', 'start')).toEqual([...WORKER_NODE_FLAGS, '--import', 'tsx', 'src/cli.ts', 'start']);
  });
});

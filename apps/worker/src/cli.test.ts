import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ONE_FORECAST_YAML } from '../test/test-forecasts.ts';
import { runCli } from './cli.ts';
import { captureStream } from '../test/test-streams.ts';

async function cli(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out = captureStream();
  const err = captureStream();
  const code = await runCli(args, { out: out.stream, err: err.stream, env });
  return { code, stdout: out.text(), stderr: err.text() };
}

describe('signpost CLI', () => {
  it('lists every command of the contract in its help', async () => {
    const { code, stdout } = await cli(['--help']);
    expect(code).toBe(0);
    for (const name of ['start', 'serve', 'run', 'check', 'score', 'backfill', 'digest', 'eval', 'feeds'])
      expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
  });

  it('serve refuses the embedded database, which allows one process, and points to start', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cli-serve-'));
    try {
      const { code, stderr } = await cli(['serve'], { SIGNPOST_DATA_DIR: dir });
      expect(code).toBe(1);
      expect(stderr).toContain('serve: a dashboard process of its own needs DATABASE_URL=postgres://...');
      expect(stderr).toContain('run `signpost start`');
      expect(fs.readdirSync(dir)).toEqual([]); // it opened no database
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown command with exit 2', async () => {
    const { code, stderr } = await cli(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown command 'frobnicate'");
  });

  it('validates arguments: an ISO week must look like 2026-W47', async () => {
    const { code, stderr } = await cli(['digest', 'preview', '--week', '2026-47']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected an ISO week like 2026-W47');
  });

  it('lists every environment problem at once and exits 2', async () => {
    const { code, stderr } = await cli(['run'], {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      SMTP_URL: 'http://mail',
      SIGNPOST_CYCLE_CRON: 'every minute',
    });
    expect(code).toBe(2);
    expect(stderr).toContain('env: invalid environment');
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(stderr).toMatch(/SMTP_URL: /);
    expect(stderr).toMatch(/SIGNPOST_CYCLE_CRON: must be a cron expression/);
  });

  it('check reads no config file over SIGNPOST_CONFIG_MAX_BYTES and reports an alias bomb as FILE:LINE', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signpost-cli-check-'));
    try {
      fs.writeFileSync(path.join(dir, 'predictions.yaml'), ONE_FORECAST_YAML);
      fs.mkdirSync(path.join(dir, 'predictions.d'));
      const anchors = [
        'a: &a [x, x, x, x, x, x, x, x, x]',
        ...'bcdefgh'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
      ];
      fs.writeFileSync(path.join(dir, 'predictions.d', 'bomb.yaml'), `predictions: []\n${anchors.join('\n')}\n`);
      fs.writeFileSync(path.join(dir, 'predictions.d', 'big.yaml'), `predictions: []\n#${'x'.repeat(5000)}\n`);
      const { code, stdout } = await cli(['check'], { SIGNPOST_DATA_DIR: dir, SIGNPOST_CONFIG_MAX_BYTES: '4096' });
      expect(code).toBe(1);
      const shown = (f: string) =>
        path.relative(process.cwd(), path.join(dir, f)).startsWith('..')
          ? path.join(dir, f)
          : path.relative(process.cwd(), path.join(dir, f));
      expect(stdout.split('\n')).toEqual([
        `${shown('predictions.d/big.yaml')}: file is 4.9 KiB, over the 4 KiB limit for a config file; not read (split it, or raise SIGNPOST_CONFIG_MAX_BYTES)`,
        `${shown('predictions.d/bomb.yaml')}:3: YAML aliases expand too far (over 100 expansions, the first alias on this line): an alias bomb, or an anchor reused too often; file not read`,
        '2 problems in 2 files',
        '',
      ]);
      const bad = await cli(['check'], { SIGNPOST_DATA_DIR: dir, SIGNPOST_CONFIG_MAX_BYTES: '1 MB' });
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/SIGNPOST_CONFIG_MAX_BYTES: must be a number of bytes/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

import { describe, expect, it } from 'vitest';
import { runCli } from './cli.ts';
import { captureStream } from './test-streams.ts';

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
    for (const name of ['start', 'run', 'check', 'score', 'backfill', 'digest', 'eval']) expect(stdout).toMatch(new RegExp(`^  ${name}\\b`, 'm'));
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
    const { code, stderr } = await cli(['run'], { PORT: 'eighty', DATABASE_URL: 'mysql://x', SMTP_URL: 'http://mail', SIGNPOST_CYCLE_CRON: 'every minute' });
    expect(code).toBe(2);
    expect(stderr).toContain('env: invalid environment');
    expect(stderr).toMatch(/PORT: /);
    expect(stderr).toMatch(/DATABASE_URL: must be a postgres:\/\/ or postgresql:\/\/ URL/);
    expect(stderr).toMatch(/SMTP_URL: /);
    expect(stderr).toMatch(/SIGNPOST_CYCLE_CRON: must be a cron expression/);
  });
});

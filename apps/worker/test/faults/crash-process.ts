// Fault-suite helper (crash-loop.test.ts): the real `signpost start` process, its JSON log lines
// and the dashboard it serves. Used only by test/faults.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { signpostNodeArgs } from '../../src/node-flags.ts';
import { scaled } from '@signpost/testing';

const workerDir = path.resolve(import.meta.dirname, '../..');

export interface LogLine {
  msg: string;
  level: number;
  [key: string]: unknown;
}

export interface StartProcess {
  child: ChildProcess;
  startedAt: number;
  /** Parsed log lines so far (pino JSON on stderr), and any line that was not JSON. */
  lines: LogLine[];
  raw: string[];
  /** The dashboard's base URL, once it listens. */
  url(): string | null;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  hasExited(): boolean;
  /** The last /api/feeds answer: article count per feed URL (what the dashboard had committed). */
  lastFeeds(): Map<string, number> | null;
  stopPolling(): void;
}

/** Spawns `signpost start` as `npm start` runs it (signpostNodeArgs) with the given environment. */
export function spawnStart(env: NodeJS.ProcessEnv, options: { pollMs?: number; logFile?: string } = {}): StartProcess {
  const child = spawn(process.execPath, signpostNodeArgs('start'), { cwd: workerDir, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const lines: LogLine[] = [];
  const raw: string[] = [];
  let url: string | null = null;
  let exited = false;
  let pending = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    pending += chunk;
    for (let i = pending.indexOf('\n'); i >= 0; i = pending.indexOf('\n')) {
      const text = pending.slice(0, i);
      pending = pending.slice(i + 1);
      if (options.logFile) fs.appendFileSync(options.logFile, `${text}\n`);
      try {
        const line = JSON.parse(text) as LogLine;
        lines.push(line);
        if (typeof line.url === 'string' && line.msg.startsWith('signpost started')) url = line.url;
      } catch {
        raw.push(text);
      }
    }
  });
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      exited = true;
      resolve({ code, signal });
    }),
  );

  // Poll the dashboard: whatever it reported as stored was committed and must survive a kill.
  let feeds: Map<string, number> | null = null;
  let polling = true;
  const poll = async () => {
    while (polling && !exited) {
      if (url) {
        try {
          const res = await fetch(`${url}/api/feeds`, { signal: AbortSignal.timeout(5000) });
          if (res.ok) {
            const body = (await res.json()) as { url: string; articles: number }[];
            if (polling) feeds = new Map(body.map((f) => [f.url, f.articles]));
          }
        } catch {
          // the process died or is busy: keep the last answer
        }
      }
      await new Promise((r) => setTimeout(r, options.pollMs ?? 300));
    }
  };
  void poll();

  return {
    child,
    startedAt: Date.now(),
    lines,
    raw,
    url: () => url,
    exited: done,
    hasExited: () => exited,
    lastFeeds: () => feeds,
    stopPolling: () => {
      polling = false;
    },
  };
}

/** Polls `condition` every 5 ms; rejects with `what` after the timeout or if the process exits. */
export async function waitFor(
  condition: () => boolean,
  what: string,
  options: { timeoutMs?: number; process?: StartProcess } = {},
): Promise<void> {
  const until = Date.now() + scaled(options.timeoutMs ?? 90_000);
  while (!condition()) {
    const problems = options.process?.lines.filter((l) => l.msg === 'config problem') ?? [];
    if (problems.length)
      throw new Error(`crash loop: the worker found the test's config invalid:\n${problems.map((l) => String(l.problem)).join('\n')}`);
    if (options.process?.hasExited()) {
      throw new Error(
        `crash loop: the process exited while waiting for ${what}:\n${options.process.raw.slice(-20).join('\n')}\n${JSON.stringify(options.process.lines.slice(-5))}`,
      );
    }
    if (Date.now() > until) throw new Error(`crash loop: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** SIGKILLs the process and waits for it to be gone. */
export async function killHard(p: StartProcess): Promise<void> {
  p.stopPolling();
  p.child.kill('SIGKILL');
  const { signal } = await p.exited;
  if (signal !== 'SIGKILL') throw new Error(`crash loop: the process ended by itself (signal ${signal}) before the kill`);
}

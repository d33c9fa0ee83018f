/**
 * A stall logger for the process it is preloaded into (`node --import ./stall-monitor.mjs ...`):
 * bench/load puts it into `signpost start` to see which stretches of the main thread keep the
 * dashboard waiting. Plain JavaScript, so the worker's bundle and flags stay as deployed.
 *
 * - Every 10 ms a timer notes how late it fired: the event loop's delay, sampled. A tick later than
 *   STALL_MS (40 ms) is a stall: the main thread ran something else for that long.
 * - With STALL_PROFILE=1, V8's sampling profiler runs as well (one sample per ms, in this thread),
 *   and each stall is attributed to the functions sampled during it. It costs a few per cent of CPU,
 *   so the bench's latency figures come from runs without it.
 * - PGlite's synchronous protocol calls of 2 ms or more are noted with their statement, and each
 *   stall lists the statements that ran during it.
 * - At exit, the ticks (monotonic µs, lag ms), the stalls and their attribution are written as JSON to
 *   STALL_REPORT. The clock is the machine's monotonic clock (process.hrtime), which the bench shares,
 *   so it can cut out its load window.
 */
import fs from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../apps/worker');

const REPORT = process.env.STALL_REPORT;
const PROFILE = process.env.STALL_PROFILE === '1';
const TICK_MS = 10;
const STALL_MS = 40;

const nowUs = () => Number(process.hrtime.bigint() / 1000n);
/** [monotonic µs, lag ms] for every tick later than 2 ms (the rest are on time). */
const late = [];
let ticks = 0;
let last = nowUs();
const timer = setInterval(() => {
  const t = nowUs();
  const lag = (t - last) / 1000 - TICK_MS;
  ticks++;
  if (lag > 2) late.push([last + TICK_MS * 1000, Math.round(lag * 10) / 10]);
  last = t;
}, TICK_MS);
timer.unref();

/**
 * PGlite runs each protocol message synchronously on this thread (execProtocolRawSync): each call of
 * 2 ms or more is noted as [start µs, ms, statement], the statement being the SQL of the last Parse or
 * Query message (Bind and Execute carry none), so a stall can say which queries it held.
 */
const queries = [];
try {
  const req = createRequire(path.join(WORKER_DIR, 'package.json'));
  // The ESM entry the worker's bundle loads (require.resolve names the CommonJS one, another instance).
  const entry = req.resolve('@electric-sql/pglite').replace(/\.cjs$/, '.js');
  const { PGlite } = await import(pathToFileURL(entry).href);
  const original = PGlite.prototype.execProtocolRawSync;
  let statement = '';
  PGlite.prototype.execProtocolRawSync = function (message, ...rest) {
    const text = statementOf(message);
    if (text) statement = text;
    const t0 = nowUs();
    try {
      return original.call(this, message, ...rest);
    } finally {
      const ms = (nowUs() - t0) / 1000;
      if (ms >= 2) queries.push([t0, Math.round(ms * 10) / 10, statement]);
    }
  };
} catch (error) {
  process.stderr.write(`stall-monitor: PGlite not traced (${error.message})\n`);
}

/** The SQL text of a Parse ('P') or simple Query ('Q') message at the start of a protocol buffer, short. */
function statementOf(message) {
  if (!(message instanceof Uint8Array) || message.length < 6) return '';
  const kind = message[0];
  if (kind !== 0x50 && kind !== 0x51) return '';
  let at = 5;
  if (kind === 0x50) while (at < message.length && message[at] !== 0) at++; // the statement's name
  if (kind === 0x50) at++;
  let end = at;
  while (end < message.length && message[end] !== 0 && end - at < 400) end++;
  return Buffer.from(message.subarray(at, end)).toString('utf8').replace(/\s+/g, ' ').slice(0, 90);
}

let session;
if (PROFILE) {
  session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 1000 });
  session.post('Profiler.start');
}

/** Where a profile node's function lives, short: `name (file:line)`. */
function frameName(node) {
  const f = node.callFrame;
  const file = f.url ? f.url.replace(/^.*\//, '').replace(/\?.*$/, '') : '';
  return `${f.functionName || '(anonymous)'}${file ? ` ${file}:${f.lineNumber + 1}` : ''}`;
}

/** Each stall's samples, summed: the top self frames and the most common stacks of bundle frames. */
function attribute(profile, stalls) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const stackOf = (id) => {
    const frames = [];
    for (let at = id; at !== undefined; at = parent.get(at)) frames.push(byId.get(at));
    return frames; // innermost first
  };
  const times = [];
  let t = profile.startTime;
  for (const d of profile.timeDeltas) times.push((t += d));
  for (const s of stalls) {
    const self = new Map();
    const paths = new Map();
    let n = 0;
    for (let i = 0; i < times.length; i++) {
      if (times[i] < s.startUs || times[i] > s.startUs + s.ms * 1000) continue;
      n++;
      const stack = stackOf(profile.samples[i]);
      const top = frameName(stack[0]);
      self.set(top, (self.get(top) ?? 0) + 1);
      // The innermost frames of our own bundle (not PGlite's or Node's), outer to inner.
      const ours = stack
        .filter((f) => /signpost\.mjs/.test(f.callFrame.url) && f.callFrame.functionName)
        .slice(0, 4)
        .reverse();
      const key =
        ours.map((f) => f.callFrame.functionName).join(' > ') || (stack.find((f) => /pglite/.test(f.callFrame.url)) ? '(pglite)' : top);
      paths.set(key, (paths.get(key) ?? 0) + 1);
    }
    const topOf = (m, k) =>
      [...m]
        .sort((a, b) => b[1] - a[1])
        .slice(0, k)
        .map(([name, c]) => `${Math.round((100 * c) / Math.max(1, n))}% ${name}`);
    s.samples = n;
    s.self = topOf(self, 4);
    s.stacks = topOf(paths, 3);
  }
}

process.on('exit', () => {
  if (!REPORT) return;
  const stalls = late.filter(([, lag]) => lag >= STALL_MS).map(([startUs, ms]) => ({ startUs, ms }));
  if (session) {
    let profile;
    session.post('Profiler.stop', (err, r) => (profile = r?.profile));
    if (profile) attribute(profile, stalls);
  }
  // The queries that ran during each stall, summed by statement.
  for (const s of stalls) {
    const end = s.startUs + s.ms * 1000;
    const by = new Map();
    for (const [t0, ms, text] of queries) {
      if (t0 + ms * 1000 < s.startUs - 1000 || t0 > end) continue;
      const b = by.get(text) ?? { ms: 0, n: 0 };
      b.ms += ms;
      b.n++;
      by.set(text, b);
    }
    s.queries = [...by]
      .sort((a, b) => b[1].ms - a[1].ms)
      .slice(0, 4)
      .map(([text, b]) => `${Math.round(b.ms)} ms in ${b.n} x ${text}`);
  }
  fs.writeFileSync(REPORT, JSON.stringify({ tickMs: TICK_MS, ticks, late, stalls }));
});

import os from 'node:os';

/**
 * Whether the worker named in a feed lease is known to be dead: it ran on this machine (owners are
 * `<hostname>:<pid>:<random>`, see runtime.ts) and no process with that pid exists. A lease of a
 * worker elsewhere, or of a pid that is alive (even if reused), is left to expire.
 */
export function isLeaseOwnerGone(
  owner: string,
  env: { hostname: string; isProcessAlive(pid: number): boolean } = { hostname: os.hostname(), isProcessAlive },
): boolean {
  const match = /^(.+):(\d+):[0-9a-f]+$/.exec(owner);
  if (!match || match[1] !== env.hostname) return false;
  return !env.isProcessAlive(Number(match[2]));
}

/** Signal 0 checks for existence without touching the process; EPERM means it exists under another user. */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

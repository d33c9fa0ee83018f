/**
 * One process per embedded database. PGlite has no locking of its own: two processes on one data
 * directory both open it, and each silently overwrites what the other wrote (issue #14: duplicate
 * article keys, lost digest rows). So every process that opens a PGlite directory first takes
 * `<dir>.lock`, a proper-lockfile lock (an atomic mkdir whose mtime the holder refreshes), with the
 * holder's pid, host and command in `<dir>.lock/owner.json` so that a refusal can say who holds it.
 *
 * A holder that dies without releasing (kill -9, power loss) never blocks for long: on the same host
 * a dead pid is seen at once; elsewhere (a shared volume) the lock lapses once its mtime is older
 * than LOCK_STALE_MS. Acquirers take turns through a second, short-lived lock, so two of them never
 * both decide that a dead holder's lock is theirs.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** A lock whose holder has not refreshed it for this long is taken over, whoever the holder was. */
export const LOCK_STALE_MS = 60_000;
/** How often the holder refreshes the lock's mtime. */
const LOCK_UPDATE_MS = 10_000;
const OWNER_FILE = 'owner.json';

/** Who holds a data directory (what `<dir>.lock/owner.json` records). */
export interface LockOwner {
  pid: number;
  host: string;
  /** The command, e.g. `signpost.mjs start`. */
  command: string;
  startedAt: string;
  /** Linux: the process's start time in clock ticks since boot (/proc/<pid>/stat), to notice a reused pid. */
  procStart?: string;
}

/** The data directory is held by another process (or by another database handle in this one). */
export class DatabaseInUseError extends Error {
  override name = 'DatabaseInUseError';
  constructor(
    readonly dataDir: string,
    readonly owner: LockOwner | null,
  ) {
    super(
      `db: the embedded database ${dataDir} is in use by ${describeOwner(owner)}. ` +
        'It allows one process at a time: stop that process first, or use PostgreSQL (DATABASE_URL) to run several.',
    );
  }
}

export function describeOwner(owner: LockOwner | null): string {
  if (!owner) return 'a process that is starting (it has not recorded its pid yet)';
  const where =
    owner.host !== os.hostname()
      ? `on host ${owner.host}; if that process is gone, the lock lapses ${LOCK_STALE_MS / 1000} s after it was last refreshed`
      : owner.pid === process.pid
        ? 'in this very process'
        : 'on this host';
  return `process ${owner.pid} (${owner.command}, ${where}, since ${owner.startedAt})`;
}

export interface DataDirLock {
  owner: LockOwner;
  release(): Promise<void>;
}

/** Lock directories this process holds (a second open in the same process is refused too). */
const held = new Set<string>();

function procStartOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the command name, which may itself hold spaces and parentheses.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function currentOwner(): LockOwner {
  const [script, ...args] = process.argv.slice(1);
  const command = [script ? path.basename(script) : 'node', ...args].join(' ').slice(0, 200);
  return { pid: process.pid, host: os.hostname(), command, startedAt: new Date().toISOString(), procStart: procStartOf(process.pid) };
}

function readOwner(lockPath: string): LockOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(lockPath, OWNER_FILE), 'utf8')) as LockOwner;
    return typeof owner.pid === 'number' && typeof owner.host === 'string' ? owner : null;
  } catch {
    return null;
  }
}

/**
 * True when the holder is known to be dead: same host and no such process (or the pid was reused).
 * A lock without an owner record is being made right now, unless it is older than a few seconds:
 * then its maker died between the mkdir and writing the record (which takes microseconds).
 */
function isOwnerGone(owner: LockOwner | null, lockPath: string): boolean {
  if (!owner) {
    try {
      return Date.now() - fs.statSync(lockPath).mtimeMs > 5_000;
    } catch {
      return false;
    }
  }
  if (owner.host !== os.hostname()) return false;
  // Our own pid: held by this process, or left by an earlier one that had the same pid (a container's pid 1).
  if (owner.pid === process.pid) return !held.has(lockPath);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
  const start = procStartOf(owner.pid);
  return owner.procStart !== undefined && start !== undefined && start !== owner.procStart;
}

/**
 * proper-lockfile's file system with the owner record inside the lock directory: written as the
 * directory is made (before proper-lockfile records its mtime) and removed with it, also by
 * proper-lockfile's exit handler.
 */
function ownerRecordingFs(owner: LockOwner) {
  return {
    ...fs,
    mkdir(dir: string, callback: (error: NodeJS.ErrnoException | null) => void) {
      fs.mkdir(dir, (error) => {
        if (error) return callback(error);
        fs.writeFile(path.join(dir, OWNER_FILE), JSON.stringify(owner), (writeError) => {
          if (!writeError) return callback(null);
          fs.rm(dir, { recursive: true, force: true }, () => callback(writeError));
        });
      });
    },
    rmdir(dir: string, callback: (error: NodeJS.ErrnoException | null) => void) {
      fs.rm(dir, { recursive: true, force: true }, callback);
    },
    rmdirSync(dir: string) {
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Takes the exclusive lock on a PGlite data directory, or throws DatabaseInUseError naming the
 * holder. `onLost` runs if the lock is later taken from this process (its directory removed or
 * replaced, e.g. after the event loop stalled for longer than LOCK_STALE_MS); the default reports
 * it and exits, since another process may be writing the database from then on.
 */
export async function lockDataDir(dataDir: string, options: { onLost?: (error: Error) => void } = {}): Promise<DataDirLock> {
  const dir = path.resolve(dataDir);
  const lockPath = `${dir}.lock`;
  const owner = currentOwner();
  const onLost =
    options.onLost ??
    ((error: Error) => {
      process.stderr.write(`db: lost the lock on ${dir} (${error.message}); another process may be writing it now, so this one stops\n`);
      process.exit(1);
    });
  const take = () =>
    lockfile.lock(dir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: LOCK_STALE_MS,
      update: LOCK_UPDATE_MS,
      fs: ownerRecordingFs(owner),
      onCompromised: onLost,
    });
  // Acquirers take turns, so that only one at a time may decide that a dead holder's lock is gone.
  // (proper-lockfile keys its locks by the path locked, so this one locks a path of its own.)
  const turnPath = `${lockPath}-turn`;
  const releaseTurn = await lockfile.lock(turnPath, {
    lockfilePath: turnPath,
    realpath: false,
    stale: 5_000,
    retries: { retries: 40, factor: 1.2, minTimeout: 20, maxTimeout: 500 },
    onCompromised: () => {},
  });
  let release: () => Promise<void>;
  try {
    try {
      release = await take();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      const holder = readOwner(lockPath);
      if (!isOwnerGone(holder, lockPath)) throw new DatabaseInUseError(dir, holder);
      fs.rmSync(lockPath, { recursive: true, force: true });
      release = await take();
    }
  } finally {
    await releaseTurn().catch(() => {});
  }
  held.add(lockPath);
  let released = false;
  return {
    owner,
    async release() {
      if (released) return;
      released = true;
      held.delete(lockPath);
      await release().catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'ERELEASED') throw error;
      });
    },
  };
}

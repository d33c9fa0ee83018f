import type { PGlite } from '@electric-sql/pglite';

/** Resolves after one turn of the event loop: the I/O callbacks (requests) waiting now run first. */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Makes an embedded database let the event loop turn between any two of its queries or transactions.
 *
 * PGlite runs every statement synchronously on this thread, and its lock passes from one waiting
 * query or transaction to the next in promise callbacks, without a turn of the event loop. When a
 * cycle stores feed after feed (a transaction each) while the dashboard's queries queue too, the
 * whole queue ran as one stretch: the dashboard, which shares the thread, could answer nothing, not
 * even pages it had cached, for hundreds of milliseconds (bench/load, docs/ingest.md). Here each
 * query and each transaction waits for the one before it, then for one turn of the event loop, and
 * only then takes PGlite's lock, which is then always free. The order is the same first come, first
 * served as PGlite's own; a transaction still runs whole (its statements go through its own handle).
 *
 * Calling the database (not the transaction's handle) from inside a transaction waits forever, as it
 * did before: PGlite's own lock already worked that way.
 */
export function takeTurns(client: PGlite): PGlite {
  let tail: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(run: () => Promise<T>): Promise<T> => {
    const result = tail.then(nextTurn).then(run);
    tail = result.catch(() => {});
    return result;
  };
  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = ((...args: Parameters<PGlite['query']>) => inTurn(() => query(...args))) as PGlite['query'];
  client.exec = ((...args: Parameters<PGlite['exec']>) => inTurn(() => exec(...args))) as PGlite['exec'];
  client.transaction = ((...args: Parameters<PGlite['transaction']>) => inTurn(() => transaction(...args))) as PGlite['transaction'];
  return client;
}

import type { PGlite } from '@electric-sql/pglite';
import { describe, expect, it } from 'vitest';
import { takeTurns } from './take-turns.ts';

/** A stand-in for PGlite's three entry points: each notes its statement, and what arrives while it runs. */
function fakeClient(order: string[]) {
  const run = async (statement: string) => {
    order.push(statement);
    // A request arriving while the statement runs (it is answered in a later turn of the event loop).
    setImmediate(() => order.push(`request during ${statement}`));
    if (statement === 'bad') throw new Error('bad statement');
    return { rows: [] };
  };
  return {
    query: (statement: string) => run(statement),
    exec: (statement: string) => run(statement),
    transaction: async (work: (tx: { query: typeof run }) => Promise<unknown>) => work({ query: run }),
  };
}

describe('takeTurns', () => {
  it('lets the event loop turn between two queries or transactions, in the order they were asked for', async () => {
    const order: string[] = [];
    const client = takeTurns(fakeClient(order) as unknown as PGlite) as unknown as ReturnType<typeof fakeClient>;
    await Promise.all([
      client.query('one'),
      client.transaction(async (tx) => {
        await tx.query('two'); // inside a transaction: its statements run together
        await tx.query('three');
      }),
      client.exec('bad').catch(() => {}),
      client.query('four'),
    ]);
    await new Promise((r) => setImmediate(r));
    expect(order).toEqual([
      'one',
      'request during one',
      'two',
      'three',
      'request during two',
      'request during three',
      'bad',
      'request during bad',
      'four',
      'request during four',
    ]);
  });
});

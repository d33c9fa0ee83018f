import { createHash } from 'node:crypto';

/** JSON with object keys sorted, so equal records hash equally whatever their key order. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

export function hashRecord(value: unknown): string {
  return createHash('sha256').update(stableStringify(value)).digest('hex');
}

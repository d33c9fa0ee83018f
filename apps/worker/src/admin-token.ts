// SIGNPOST_ADMIN_TOKEN's rule, checked when env.ts reads the environment.

/**
 * Why an admin token is too easy to guess, or null when it will do: at least 16 characters, not one
 * character or a short pattern repeated, not a run such as "abcdefgh…", and an estimated entropy
 * (the token's own character frequencies × its length) of at least 40 bits. A random token of 16
 * hex digits passes; `aaaaaaaaaaaaaaaa` and `abababababababab` do not.
 */
export function tokenWeakness(token: string): string | null {
  const chars = Array.from(token);
  if (chars.length < 16) return 'must be at least 16 characters';
  const easy = 'is too easy to guess';
  const advice = '; use a random token, e.g. the output of `openssl rand -hex 32`';
  for (let period = 1; period <= chars.length / 2; period++) {
    if (chars.every((c, i) => c === chars[i % period]))
      return `${easy} (${period === 1 ? 'one character repeated' : 'a short pattern repeated'})${advice}`;
  }
  const codes = chars.map((c) => c.codePointAt(0)!);
  const step = codes[1]! - codes[0]!;
  if (Math.abs(step) <= 1 && codes.every((c, i) => i === 0 || c - codes[i - 1]! === step))
    return `${easy} (a run of consecutive characters)${advice}`;
  const counts = new Map<string, number>();
  for (const c of chars) counts.set(c, (counts.get(c) ?? 0) + 1);
  let bitsPerChar = 0;
  for (const n of counts.values()) bitsPerChar -= (n / chars.length) * Math.log2(n / chars.length);
  const bits = bitsPerChar * chars.length;
  if (bits < 40) return `${easy} (about ${Math.floor(bits)} bits by its character mix; at least 40 are needed)${advice}`;
  return null;
}

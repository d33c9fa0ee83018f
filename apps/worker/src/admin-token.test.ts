import { describe, expect, it } from 'vitest';
import { EnvError, loadWorkerEnv } from './env.ts';

const tokenProblem = (token: string) => {
  try {
    loadWorkerEnv({ SIGNPOST_ADMIN_TOKEN: token });
    return null;
  } catch (error) {
    return (error as EnvError).problems.join('\n');
  }
};

describe('SIGNPOST_ADMIN_TOKEN', () => {
  // Issue #14: a token of 16 identical characters was accepted.
  it('refuses tokens that are easy to guess, saying why', () => {
    expect(tokenProblem('short')).toBe('SIGNPOST_ADMIN_TOKEN: must be at least 16 characters');
    expect(tokenProblem('aaaaaaaaaaaaaaaa')).toMatch(
      /^SIGNPOST_ADMIN_TOKEN: is too easy to guess \(one character repeated\); use a random token, e\.g\. the output of `openssl rand -hex 32`$/,
    );
    expect(tokenProblem('abababababababab')).toMatch(/too easy to guess \(a short pattern repeated\)/);
    expect(tokenProblem('passwordpassword')).toMatch(/too easy to guess \(a short pattern repeated\)/);
    expect(tokenProblem('abcdefghijklmnop')).toMatch(/too easy to guess \(a run of consecutive characters\)/);
    expect(tokenProblem('1111111111111112')).toMatch(/too easy to guess \(about \d+ bits by its character mix; at least 40 are needed\)/);
    expect(tokenProblem('aaaabbbbaaaabbbbaaaacccc')).toMatch(/too easy to guess \(about 3\d bits/);
  });

  it('takes random tokens, even short hex ones, and phrases', () => {
    for (const token of [
      '3f9a0c7e1b2d4e68',
      'correct-horse-battery-staple',
      'digest-admin-token-0123456789',
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    ]) {
      expect(tokenProblem(token), token).toBeNull();
    }
  });

  it('SIGNPOST_TRUST_PROXY is a flag', () => {
    expect(loadWorkerEnv({ SIGNPOST_TRUST_PROXY: '1' }).SIGNPOST_TRUST_PROXY).toBe(true);
    expect(loadWorkerEnv({}).SIGNPOST_TRUST_PROXY).toBe(false);
    expect(() => loadWorkerEnv({ SIGNPOST_TRUST_PROXY: 'maybe' })).toThrow(/SIGNPOST_TRUST_PROXY/);
  });
});

import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, unsubscribeUrl, verifyUnsubscribeToken } from './unsubscribe-token.ts';

describe('unsubscribe tokens', () => {
  const secret = 'k'.repeat(43);
  it('verifies to the address it was signed for, case-insensitively, including non-ASCII addresses', () => {
    expect(verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, 'Ivan@Example.RU'))).toBe('ivan@example.ru');
    expect(verifyUnsubscribeToken(secret, signUnsubscribeToken(secret, 'иван@пример.рф'))).toBe('иван@пример.рф');
  });
  it('rejects a token signed with another secret, an altered address, and garbage', () => {
    const token = signUnsubscribeToken(secret, 'a@example.org');
    expect(verifyUnsubscribeToken('other-secret', token)).toBeNull();
    const [, mac] = token.split('.');
    expect(verifyUnsubscribeToken(secret, `${Buffer.from('b@example.org').toString('base64url')}.${mac}`)).toBeNull();
    for (const bad of [
      '',
      'abc',
      `${token}x`,
      `${token.slice(0, -1)}A`,
      'a.b.c',
      `${Buffer.from('no-at-sign').toString('base64url')}.${mac}`,
    ]) {
      expect(verifyUnsubscribeToken(secret, bad)).toBeNull();
    }
  });
  it('makes an absolute link on the dashboard', () => {
    expect(unsubscribeUrl('https://s.example/base/', 'abc.def')).toBe('https://s.example/base/unsubscribe?token=abc.def');
  });
});

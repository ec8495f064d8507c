import { describe, expect, it } from 'vitest';
import { maskSecret, shownSecret, BULLETS, looksSecretName } from './mask';

describe('maskSecret', () => {
  it('keeps only the ends of a long token', () => {
    const tok = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlXk9w';
    expect(maskSecret(tok)).toBe('eyJhbG…Xk9w');
  });
  it('hides short secrets completely', () => {
    expect(maskSecret('hunter2')).toBe(BULLETS);
    expect(maskSecret('a'.repeat(29))).toBe(BULLETS);
    expect(maskSecret('')).toBe('');
  });
  it('never shows more than a third of the value', () => {
    for (let n = 1; n < 200; n++) {
      const v = 'x'.repeat(n);
      const shown = maskSecret(v).replace(/[…•]/g, '').length;
      expect(shown * 3).toBeLessThanOrEqual(n);
    }
  });
});

describe('shownSecret', () => {
  it('shows the revealed value only outside presentation mode', () => {
    expect(shownSecret('ab…cd', 'abXYZcd', false)).toBe('abXYZcd');
    expect(shownSecret('ab…cd', 'abXYZcd', true)).toBe('ab…cd');
    expect(shownSecret('ab…cd', '', false)).toBe('ab…cd');
    expect(shownSecret('', null, false)).toBe(BULLETS);
  });
});

describe('looksSecretName', () => {
  it('spots secret-bearing names', () => {
    for (const n of ['client_secret', 'access_token', 'code_verifier', 'code', 'Authorization', 'password']) expect(looksSecretName(n)).toBe(true);
    for (const n of ['state', 'scope', 'code_challenge_method', 'issuer']) expect(looksSecretName(n)).toBe(false);
  });
});

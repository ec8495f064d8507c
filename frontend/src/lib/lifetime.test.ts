import { describe, expect, it } from 'vitest';
import { leftPercent, lifetimeMs } from './lifetime';

describe('token lifetime', () => {
  const t0 = Date.parse('2026-11-25T13:00:00Z');
  it('uses iat when the token has one', () => {
    expect(lifetimeMs('jwt', t0 + 300_000, t0, t0 + 60_000)).toBe(300_000);
    expect(leftPercent(t0 + 300_000, 300_000, t0 + 60_000)).toBeCloseTo(80);
  });
  it('measures an opaque token from when it was first seen, not a guessed hour', () => {
    const exp = t0 + 300_000;
    const life = lifetimeMs('opaque-a', exp, NaN, t0 + 1_000);
    expect(life).toBe(299_000);
    expect(leftPercent(exp, life, t0 + 1_000)).toBe(100);
    // later views keep the first-seen start
    const later = lifetimeMs('opaque-a', exp, NaN, t0 + 150_000);
    expect(later).toBe(299_000);
    expect(leftPercent(exp, later, t0 + 150_500)).toBeCloseTo(50, 0);
    // a new token (new key) starts again
    expect(lifetimeMs('opaque-b', t0 + 600_000, NaN, t0 + 200_000)).toBe(400_000);
  });
  it('clamps', () => {
    expect(leftPercent(t0, 1000, t0 + 5000)).toBe(0);
    expect(leftPercent(NaN, 1000, t0)).toBe(0);
    expect(lifetimeMs('x', t0, NaN, t0 + 10)).toBe(1000);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import { Clock, TICK_MS } from './clock.svelte';

describe('Clock', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('runs no timer when nothing shown reads it', () => {
    const c = new Clock();
    expect(c.now).toBe(Date.parse('2026-01-01T00:00:00Z'));
    expect(c.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('ticks while an effect reads it and stops when the last reader goes', async () => {
    const c = new Clock();
    const seen: number[] = [];
    const stopA = $effect.root(() => {
      $effect(() => {
        seen.push(c.now);
      });
    });
    const stopB = $effect.root(() => {
      $effect(() => {
        void c.now;
      });
    });
    flushSync();
    expect(c.running).toBe(true);
    expect(vi.getTimerCount()).toBe(1); // one interval however many readers

    vi.advanceTimersByTime(TICK_MS);
    flushSync();
    vi.advanceTimersByTime(TICK_MS);
    flushSync();
    expect(seen).toEqual([0, 1, 2].map((i) => Date.parse('2026-01-01T00:00:00Z') + i * TICK_MS));

    stopA();
    await Promise.resolve();
    expect(c.running).toBe(true);
    stopB();
    await Promise.resolve();
    expect(c.running).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('catches up at once when a reader appears after a quiet spell', () => {
    const c = new Clock();
    vi.advanceTimersByTime(60 * 60 * 1000); // an hour with nothing shown
    let shown = 0;
    const stop = $effect.root(() => {
      $effect(() => {
        shown = c.now;
      });
    });
    flushSync();
    expect(shown).toBe(Date.now());
    stop();
  });

  it('lets a test pin the time', () => {
    const c = new Clock();
    c.now = 42;
    expect(c.now).toBe(42);
  });
});

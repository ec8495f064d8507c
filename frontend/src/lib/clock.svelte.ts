// clock is the wall-clock time countdowns and "5 minutes ago" labels read.
// It ticks only while something on screen reads it: an idle window with no
// countdown runs no timer at all, so WebKit has nothing to re-render and the
// app idles like an empty page (make bench).

import { createSubscriber } from 'svelte/reactivity';

/** TICK_MS is how often a shown countdown moves. */
export const TICK_MS = 1000;

/**
 * Clock is a reactive "now" in milliseconds since the epoch. Reading `now`
 * inside an effect or template subscribes: the first subscriber starts one
 * interval (and refreshes `now` at once, so a countdown never shows a stale
 * time), the last one to go away stops it. Reading it elsewhere returns the
 * last value without starting anything. Setting `now` (tests) overrides the
 * value until the next tick.
 */
export class Clock {
  #now = $state(Date.now());
  #timers = 0;
  #subscribe = createSubscriber(() => {
    this.#now = Date.now();
    const timer = setInterval(() => (this.#now = Date.now()), TICK_MS);
    this.#timers++;
    return () => {
      clearInterval(timer);
      this.#timers--;
    };
  });

  get now(): number {
    this.#subscribe();
    return this.#now;
  }

  set now(ms: number) {
    this.#now = ms;
  }

  /** running says whether the interval is on (tests and diagnostics). */
  get running(): boolean {
    return this.#timers > 0;
  }
}

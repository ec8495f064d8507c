import { describe, expect, it } from 'vitest';
import { formatCountdown, formatRelative, formatOffset, formatDuration, formatClock, parseTime } from './time';

describe('formatCountdown', () => {
  it('renders m:ss and h:mm:ss', () => {
    expect(formatCountdown(252_000)).toBe('4:12');
    expect(formatCountdown(59_999)).toBe('0:59');
    expect(formatCountdown(3_600_000 + 62_000)).toBe('1:01:02');
  });
  it('stops at 0:00', () => {
    expect(formatCountdown(0)).toBe('0:00');
    expect(formatCountdown(-5000)).toBe('0:00');
    expect(formatCountdown(NaN)).toBe('0:00');
  });
});

describe('formatRelative', () => {
  const now = Date.parse('2026-11-25T13:00:00Z');
  it('speaks of the future and the past', () => {
    expect(formatRelative(now + 4 * 60_000 + 5000, now)).toBe('in 4 min');
    expect(formatRelative(now - 3 * 60_000, now)).toBe('3 min ago');
    expect(formatRelative(now + 45_000, now)).toBe('in 45 s');
    expect(formatRelative(now - 2 * 3_600_000, now)).toBe('2 h ago');
    expect(formatRelative(now + 86_400_000, now)).toBe('in 1 day');
    expect(formatRelative(now + 3 * 86_400_000, now)).toBe('in 3 days');
    expect(formatRelative(now + 300, now)).toBe('now');
    expect(formatRelative(NaN, now)).toBe('');
  });
});

describe('other formats', () => {
  it('formats offsets and durations', () => {
    expect(formatOffset(12.4)).toBe('+12 ms');
    expect(formatOffset(1250)).toBe('+1.25 s');
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(0.4)).toBe('<1 ms');
    expect(formatDuration(12.4)).toBe('12 ms');
    expect(formatDuration(2500)).toBe('2.50 s');
  });
  it('formats local clock times', () => {
    const d = new Date(2026, 10, 25, 14, 5, 12);
    expect(formatClock(d.getTime())).toBe('14:05:12');
    expect(parseTime('')).toBeNaN();
    expect(parseTime('2026-11-25T13:00:00Z')).toBe(Date.UTC(2026, 10, 25, 13));
  });
});

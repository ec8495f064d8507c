import { describe, expect, it } from 'vitest';
import { formatBytes, pathOf, statusClass } from './format';
import { newId } from './ids';
import { eventLook, hasTokens, isBusy, statusLook } from './status';

describe('format', () => {
  it('formats sizes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KB');
    expect(formatBytes(50 * 1024 * 1024)).toBe('50 MB');
    expect(formatBytes(-1)).toBe('unknown size');
  });
  it('groups HTTP statuses', () => {
    expect([200, 302, 404, 503, 0].map(statusClass)).toEqual(['ok', 'redirect', 'client', 'server', 'none']);
  });
  it('shortens URLs to path and query', () => {
    expect(pathOf('http://127.0.0.1:53120/api/me?x=1')).toBe('/api/me?x=1');
    expect(pathOf('not a url')).toBe('not a url');
  });
  it('makes distinct 24-hex-digit request ids', () => {
    const ids = new Set(Array.from({ length: 100 }, newId));
    expect(ids.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{24}$/);
  });
});

describe('status words', () => {
  it('gives every session status words and an icon', () => {
    for (const s of ['signed_out', 'waiting', 'exchanging', 'signed_in', 'expired', 'error']) {
      const l = statusLook(s);
      expect(l.label.length).toBeGreaterThan(3);
      expect(l.icon).not.toBe('');
    }
    expect(statusLook('something new').label).toBe('Signed out');
    expect(isBusy('waiting') && isBusy('exchanging') && !isBusy('signed_in')).toBe(true);
    expect(hasTokens('signed_in') && hasTokens('expired') && !hasTokens('error')).toBe(true);
    expect(eventLook('fail')).toMatchObject({ icon: '✕', tone: 'bad' });
    expect(eventLook('whatever').label).toBe('info');
  });
});

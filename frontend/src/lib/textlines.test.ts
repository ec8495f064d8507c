import { describe, expect, it } from 'vitest';
import { buildTextLines } from './textlines';

const rows = (text: string, wrap?: number) => {
  const t = buildTextLines(text, wrap);
  return Array.from({ length: t.count }, (_, r) => text.slice(t.starts[r], t.ends[r]));
};

describe('buildTextLines', () => {
  it('splits at line breaks, LF or CRLF, keeping empty lines', () => {
    expect(rows('a\nb\r\n\nc')).toEqual(['a', 'b', '', 'c']);
    expect(rows('')).toEqual(['']);
    expect(rows('x\n')).toEqual(['x', '']);
  });
  it('wraps long lines so every row has the same height', () => {
    expect(rows('abcdefg\nhi', 3)).toEqual(['abc', 'def', 'g', 'hi']);
    const big = buildTextLines('y'.repeat(1_000_000));
    expect(big.count).toBe(Math.ceil(1_000_000 / 160));
  });
});

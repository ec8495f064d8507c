import { describe, expect, it } from 'vitest';
import { parseJson, toLines, toggleFold, foldDeeperThan, countNodes, JsonSyntaxError, MAX_DEPTH } from './jsontree';

const text = (lines: ReturnType<typeof toLines>['lines']) =>
  lines.map((l) => '  '.repeat(l.depth) + (l.key !== undefined ? JSON.stringify(l.key) + ': ' : '') + l.text + (l.folded ? ` …${l.summary}…` : '') + (l.comma ? ',' : '')).join('\n');

describe('parseJson', () => {
  it('keeps key order, duplicate keys and exact numbers', () => {
    const t = parseJson('{"b":1,"2":true,"a":12345678901234567890,"b":null,"e":1.5e+10}');
    expect(t.type).toBe('object');
    if (t.type !== 'object') return;
    expect(t.entries.map((e) => e.key)).toEqual(['b', '2', 'a', 'b', 'e']);
    expect(t.entries[2].value).toEqual({ type: 'number', text: '12345678901234567890' });
    expect(t.entries[4].value).toEqual({ type: 'number', text: '1.5e+10' });
  });
  it('decodes string escapes', () => {
    expect(parseJson('"a\\n\\u00e9\\"\\\\/"')).toEqual({ type: 'string', value: 'a\né"\\/' });
  });
  it('rejects invalid JSON with the offset', () => {
    for (const bad of ['{', '[1,]', '{"a" 1}', 'tru', '"\\x"', '01', '{} x', '"a\u0001"', '']) {
      expect(() => parseJson(bad), bad).toThrow(JsonSyntaxError);
    }
  });
  it('refuses absurd nesting instead of overflowing the stack', () => {
    const deep = '['.repeat(MAX_DEPTH + 5) + ']'.repeat(MAX_DEPTH + 5);
    expect(() => parseJson(deep)).toThrow(/too deep/);
  });
});

describe('folding', () => {
  const tree = parseJson('{"a":{"x":1,"y":[1,2]},"b":[],"c":"s"}');

  it('renders all lines when nothing is folded', () => {
    const { lines, more } = toLines(tree, new Set());
    expect(more).toBe(false);
    expect(text(lines)).toBe(
      ['{', '  "a": {', '    "x": 1,', '    "y": [', '      1,', '      2', '    ]', '  },', '  "b": [],', '  "c": "s"', '}'].join('\n'),
    );
  });

  it('folds a container into one line with its size and unfolds it again', () => {
    const folded = toggleFold(new Set(), '/a');
    expect(text(toLines(tree, folded).lines)).toBe(['{', '  "a": { …2 keys…,', '  "b": [],', '  "c": "s"', '}'].join('\n'));
    const open = toggleFold(folded, '/a');
    expect(open.size).toBe(0);
    expect(toLines(tree, open).lines).toHaveLength(11);
  });

  it('folds nested arrays by JSON Pointer path', () => {
    const lines = toLines(tree, new Set(['/a/y'])).lines;
    expect(lines.find((l) => l.key === 'y')).toMatchObject({ folded: true, summary: '2 items', path: '/a/y' });
  });

  it('folds everything below a depth, skipping empty containers', () => {
    expect([...foldDeeperThan(tree, 0)].sort()).toEqual(['/a', '/a/y']);
    expect([...foldDeeperThan(tree, 1)]).toEqual(['/a/y']);
    expect(countNodes(tree)).toBe(8);
  });

  it('stops at the line limit and says so', () => {
    const big = parseJson(JSON.stringify(Array.from({ length: 100 }, (_, i) => i)));
    const { lines, more } = toLines(big, new Set(), 10);
    expect(lines).toHaveLength(10);
    expect(more).toBe(true);
  });
});

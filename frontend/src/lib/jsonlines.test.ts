import { describe, expect, it } from 'vitest';
import {
  buildJsonLines,
  buildJsonLinesAsync,
  CUT,
  defaultFolds,
  foldDeeperThan,
  indexOfLine,
  JsonLinesError,
  lineView,
  reveal,
  search,
  tryJsonLines,
  visibleLines,
  type Folds,
  type JsonLines,
} from './jsonlines';

/** show renders the visible lines as the viewer would, two spaces a level. */
function show(m: JsonLines, folds: Folds = new Uint8Array(m.count)): string {
  return [...visibleLines(m, folds)]
    .map((l) => {
      const v = lineView(m, l, folds);
      if (v.cls === 'cut') return '✂';
      const key = v.key !== undefined ? v.key + ': ' : '';
      const folded = v.folded ? ` …${v.summary}…${v.closer}` : '';
      return '  '.repeat(v.depth) + key + v.text + folded + (v.comma ? ',' : '') + (v.partial ? '⋯' : '');
    })
    .join('\n');
}

describe('buildJsonLines on valid JSON', () => {
  it('pretty-prints with depth, keeping key order, duplicates and exact numbers', () => {
    const m = buildJsonLines('{"b":1,"2":true,"a":12345678901234567890,"b":null,"e":1.5e+10,"o":{"x":[1,{}],"y":[]},"s":"hi"}');
    expect(show(m)).toBe(
      [
        '{',
        '  "b": 1,',
        '  "2": true,',
        '  "a": 12345678901234567890,',
        '  "b": null,',
        '  "e": 1.5e+10,',
        '  "o": {',
        '    "x": [',
        '      1,',
        '      {}',
        '    ],',
        '    "y": []',
        '  },',
        '  "s": "hi"',
        '}',
      ].join('\n'),
    );
    expect(m.cut).toBe(false);
    expect(m.cutLine).toBe(-1);
    expect(m.nodes).toBe(12);
  });

  it('lays out the same lines as JSON.stringify(…, 2) for ordinary documents', () => {
    const doc = { id: 7, name: 'x', tags: ['a', 'b'], nested: { ok: false, n: null, deep: [[1, 2], { k: 'v' }] }, empty: {}, list: [] };
    const want = JSON.stringify(doc, null, 2);
    expect(show(buildJsonLines(JSON.stringify(doc)))).toBe(want);
    expect(show(buildJsonLines(want))).toBe(want);
  });

  it('takes top-level scalars and surrounding whitespace', () => {
    expect(show(buildJsonLines(' 42 '))).toBe('42');
    expect(show(buildJsonLines('"s"'))).toBe('"s"');
    expect(show(buildJsonLines('\n[]\n'))).toBe('[]');
    expect(show(buildJsonLines('-0.5e-3'))).toBe('-0.5e-3');
  });

  it('shows escapes as JSON.stringify of the value, as the tree viewer did', () => {
    const m = buildJsonLines('{"caf\\u00e9":"a\\nb \\"q\\" \\/ \\\\ \\u2603 😀 é"}');
    expect(show(m)).toBe(['{', '  "café": "a\\nb \\"q\\" / \\\\ ☃ 😀 é"', '}'].join('\n'));
  });

  it('rejects what is not JSON with the offset where it stopped', () => {
    for (const bad of ['{', '[1,]', '{"a" 1}', 'tru', '"\\x"', '01', '{} x', '"a\u0001"', '', '   ', '[1 2]', '{"a":1,}', '[-]', '1.', '"\\u12"', ']', '{"a"}', "{'a':1}", 'NaN']) {
      expect(() => buildJsonLines(bad), JSON.stringify(bad)).toThrow(JsonLinesError);
    }
    expect(tryJsonLines('[1,]')).toBeNull();
    try {
      buildJsonLines('[1, 2, x]');
    } catch (err) {
      expect((err as JsonLinesError).offset).toBe(7);
    }
  });
});

describe('buildJsonLines on JSON cut at the size limit', () => {
  const doc = '{"a":{"x":1,"y":[10,20]},"name":"caf\\u00e9 ☃","n":-12.5e3,"t":true,"z":null}';

  it('lays out every prefix of a document, marking the cut', () => {
    for (let cut = 1; cut < doc.length; cut++) {
      const m = buildJsonLines(doc.slice(0, cut), { cut: true });
      expect(m.cut, `cut at ${cut}`).toBe(true);
      expect(m.kind[m.cutLine]).toBe(CUT);
      expect(m.cutLine).toBe(m.count - 1);
      // Every line before the cut is text of the document, in order.
      const lines = show(m).split('\n');
      expect(lines.at(-1)).toBe('✂');
    }
    // Not cut: the whole document.
    expect(buildJsonLines(doc, { cut: true }).cut).toBe(false);
  });

  it('cuts mid-string, mid-key, mid-number, mid-literal and after a key', () => {
    expect(show(buildJsonLines('{"a":"hel', { cut: true }))).toBe(['{', '  "a": "hel⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('{"a":1,"lon', { cut: true }))).toBe(['{', '  "a": 1,', '  "lon: ⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('[12', { cut: true }))).toBe(['[', '  12⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('[1.', { cut: true }))).toBe(['[', '  1.⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('[1,tr', { cut: true }))).toBe(['[', '  1,', '  tr⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('{"a":', { cut: true }))).toBe(['{', '  "a": ⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('{"a":"x\\', { cut: true }))).toBe(['{', '  "a": "x\\⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('{"a":"\\u00', { cut: true }))).toBe(['{', '  "a": "\\u00⋯', '✂'].join('\n'));
    expect(show(buildJsonLines('[[{"a":[', { cut: true }))).toBe(['[', '  [', '    {', '      "a": [', '✂'].join('\n'));
  });

  it('still rejects a syntax error before the cut', () => {
    for (const bad of ['{"a" 1', '[1,]', '<html>', '{"a":tx', '[01', '{"a":"\\q']) {
      expect(() => buildJsonLines(bad, { cut: true }), bad).toThrow(JsonLinesError);
    }
  });

  it('counts what arrived of a container cut inside it', () => {
    const m = buildJsonLines('{"items":[1,2,3', { cut: true });
    const items = 1;
    expect(lineView(m, items, new Uint8Array(m.count))).toMatchObject({ key: '"items"', open: true, summary: '3 items so far', closer: '' });
  });
});

describe('deep and hostile input', () => {
  it('lays out deep nesting without recursion', () => {
    const depth = 200_000;
    const m = buildJsonLines('['.repeat(depth) + ']'.repeat(depth));
    // The innermost [] is one line; every other level opens and closes.
    expect(m.count).toBe(2 * depth - 1);
    expect(m.depth[depth - 1]).toBe(depth - 1);
    const cut = buildJsonLines('{"a":'.repeat(depth), { cut: true });
    expect(cut.cutLine).toBe(depth + 1); // depth open lines, the key without its value, the cut
  });

  it('rejects unbalanced brackets', () => {
    for (const bad of ['[}', '{]', '[[]', '[]]', '{"a":[}]', ']]]]', '}']) {
      expect(() => buildJsonLines(bad), bad).toThrow(JsonLinesError);
    }
    // Cut or not, a closer that does not match is an error, not a cut.
    expect(() => buildJsonLines('[{]', { cut: true })).toThrow(JsonLinesError);
  });

  it('caps what one line shows of a huge value and counts the rest', () => {
    const long = 'x'.repeat(10_000);
    const m = buildJsonLines(`["${long}"]`);
    const v = lineView(m, 1, new Uint8Array(m.count));
    expect(v.text.length).toBe(2000);
    expect(v.hidden).toBe(10_002 - 2000);
  });
});

describe('folding on the model', () => {
  const m = buildJsonLines('{"a":{"x":1,"y":[1,2]},"b":[],"c":"s"}');

  it('folds a container into one line with its size, and unfolds it', () => {
    const folds = new Uint8Array(m.count);
    folds[1] = 1; // "a"
    expect(show(m, folds)).toBe(['{', '  "a": { …2 keys…},', '  "b": [],', '  "c": "s"', '}'].join('\n'));
    folds[1] = 0;
    expect(visibleLines(m, folds)).toHaveLength(m.count);
  });

  it('folds everything below a depth, skipping empty containers', () => {
    const all = foldDeeperThan(m, 0);
    expect(show(m, all)).toBe(['{', '  "a": { …2 keys…},', '  "b": [],', '  "c": "s"', '}'].join('\n'));
    const deep = foldDeeperThan(m, 1);
    expect(show(m, deep)).toContain('"y": [ …2 items…]');
    expect(defaultFolds(m).every((f) => f === 0)).toBe(true); // small documents start open
  });

  it('folds a container cut inside it down to the cut line', () => {
    const c = buildJsonLines('{"items":[{"id":1},{"id":2},{"i', { cut: true });
    const folds = new Uint8Array(c.count);
    folds[1] = 1;
    expect(show(c, folds)).toBe(['{', '  "items": [ …3 items so far…', '✂'].join('\n'));
    folds[1] = 0;
    folds[0] = 1;
    expect(show(c, folds)).toBe(['{ …1 key so far…', '✂'].join('\n'));
  });

  it('reveals a line inside folded containers', () => {
    const folds = foldDeeperThan(m, 0);
    const y2 = 5; // the 2 in "y"
    expect(indexOfLine(visibleLines(m, folds), y2)).toBe(-1);
    expect(reveal(m, folds, y2)).toBe(true);
    const vis = visibleLines(m, folds);
    expect(indexOfLine(vis, y2)).toBeGreaterThan(0);
    expect(reveal(m, folds, y2)).toBe(false);
    // The closer of "y" is revealed with "y" itself.
    const again = foldDeeperThan(m, 0);
    expect(reveal(m, again, 6)).toBe(true);
    expect(indexOfLine(visibleLines(m, again), 6)).toBeGreaterThan(0);
  });
});

describe('search on the model', () => {
  const doc = JSON.stringify({ users: Array.from({ length: 50 }, (_, i) => ({ id: i, name: `User ${i}`, mail: `u${i}@Example.com` })) });
  const m = buildJsonLines(doc);

  it('finds every line holding the text, case-insensitively, folded or not', () => {
    const r = search(m, 'example.COM');
    expect(r.lines).toHaveLength(50);
    expect(r.more).toBe(false);
    for (const l of r.lines) expect(lineView(m, l, new Uint8Array(m.count)).text).toMatch(/@Example\.com/);
    expect(search(m, 'User 42').lines).toHaveLength(1);
    expect(search(m, '"users"').lines[0]).toBe(1);
    expect(search(m, 'nowhere').lines).toHaveLength(0);
    expect(search(m, '').lines).toHaveLength(0);
  });

  it('treats the query as text, not a pattern', () => {
    expect(search(m, '.*').lines).toHaveLength(0);
    expect(search(buildJsonLines('["a+b","ab"]'), 'a+b').lines).toEqual(Int32Array.from([1]));
  });

  it('reports one hit per line and stops at the limit', () => {
    expect(search(buildJsonLines('["aaaa","a"]'), 'a').lines).toEqual(Int32Array.from([1, 2]));
    const r = search(m, 'u', 10);
    expect(r.lines).toHaveLength(10);
    expect(r.more).toBe(true);
  });

  it('never finds what was cut off', () => {
    const c = buildJsonLines(doc.slice(0, doc.indexOf('User 30')), { cut: true });
    expect(search(c, 'User 29').lines).toHaveLength(1);
    expect(search(c, 'User 30').lines).toHaveLength(0);
  });
});

describe('buildJsonLinesAsync', () => {
  it('builds the same model in slices, reporting progress', async () => {
    const doc = JSON.stringify(Array.from({ length: 20000 }, (_, i) => ({ i, s: 'x'.repeat(i % 50) })));
    const seen: number[] = [];
    const m = await buildJsonLinesAsync(doc, { sliceMs: 0, onProgress: (p) => seen.push(p) });
    const sync = buildJsonLines(doc);
    expect(m.count).toBe(sync.count);
    expect(show(m)).toBe(show(sync));
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.every((p, k) => p > 0 && p < 1 && (k === 0 || p >= seen[k - 1]))).toBe(true);
  });

  it('rejects text that is not JSON, and stops when aborted', async () => {
    await expect(buildJsonLinesAsync('[1,,2]')).rejects.toThrow(JsonLinesError);
    const ac = new AbortController();
    ac.abort();
    const big = JSON.stringify(Array.from({ length: 200000 }, (_, i) => i));
    await expect(buildJsonLinesAsync(big, { sliceMs: 0, signal: ac.signal })).rejects.toThrow(/aborted/);
  });
});

// Speed of the response viewer's JSON tree on a large body (run with
// `npx vitest bench --run`); the viewer builds a tree for bodies up to 2 MB.
import { bench, describe } from 'vitest';
import { parseJson, toLines, foldDeeperThan } from './jsontree';

const doc = JSON.stringify(
  Array.from({ length: 12000 }, (_, i) => ({ id: 1e15 + i, name: `user ${i}`, tags: ['a', 'b'], nested: { ok: i % 2 === 0, score: i / 7 } })),
);

describe(`JSON tree, ${(doc.length / 1024 / 1024).toFixed(1)} MB`, () => {
  const tree = parseJson(doc);
  const folded = foldDeeperThan(tree, 1);
  bench('parseJson', () => {
    parseJson(doc);
  });
  bench('toLines, folded below level 1', () => {
    toLines(tree, folded);
  });
  bench('JSON.parse (baseline)', () => {
    JSON.parse(doc);
  });
});

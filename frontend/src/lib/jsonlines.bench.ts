// Speed of the response viewer's line model on a body cut at the 10 MiB cap
// (run with `npx vitest bench --run src/lib/jsonlines.bench.ts`).
import { bench, describe } from 'vitest';
import { buildJsonLines, defaultFolds, search, visibleLines } from './jsonlines';

const parts: string[] = [];
let size = 0;
for (let i = 0; size < 10.5 * 1024 * 1024; i++) {
  const s = `{"id":${i},"name":"item ${i}","email":"user${i}@example.com","tags":["alpha","beta"],"nested":{"ok":${i % 2 === 0},"score":${i % 1000}.5,"owner":null},"text":"Lorem ipsum dolor sit amet, consectetur adipiscing elit"},`;
  parts.push(s);
  size += s.length;
}
const doc = ('{"items":[' + parts.join('')).slice(0, 10 * 1024 * 1024);

describe(`JSON lines, ${(doc.length / 1024 / 1024).toFixed(1)} MB cut at the cap`, () => {
  const m = buildJsonLines(doc, { cut: true });
  const folds = defaultFolds(m);
  bench(`buildJsonLines (${m.count} lines)`, () => {
    buildJsonLines(doc, { cut: true });
  });
  bench('defaultFolds + visibleLines', () => {
    visibleLines(m, defaultFolds(m));
  });
  bench('visibleLines, all open', () => {
    visibleLines(m, new Uint8Array(m.count));
  });
  bench('search, a rare key', () => {
    search(m, 'user40000@');
  });
  bench('search, a common word (capped)', () => {
    search(m, 'alpha');
  });
  void folds;
});

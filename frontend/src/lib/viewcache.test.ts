import { afterEach, describe, expect, it, vi } from 'vitest';
import { buildJsonLines } from './jsonlines';
import type { JobRequest } from './jsonlines.worker';

const big = JSON.stringify({ items: Array.from({ length: 30000 }, (_, i) => ({ id: i, name: `item ${i}` })) });

/** fresh imports viewcache anew (its worker is module state). */
async function fresh() {
  vi.resetModules();
  return import('./viewcache');
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('jsonEntry', () => {
  it('lays out a small body at once and keeps it for the next mount', async () => {
    const { jsonEntry } = await fresh();
    const e = jsonEntry('{"a":[1,2]}', false);
    expect(e.model?.count).toBe(6);
    e.scrollTop = 40;
    e.query = 'x';
    expect(jsonEntry('{"a":[1,2]}', false)).toBe(e);
    // The same text said to be cut is another entry.
    expect(jsonEntry('{"a":[1,2]}', true)).not.toBe(e);
  });

  it('lays out a large body on the page in slices when there is no worker', async () => {
    vi.stubGlobal('Worker', undefined);
    const { jsonEntry } = await fresh();
    const e = jsonEntry(big, false);
    expect(e.model).toBeNull();
    await e.ready;
    expect(e.model?.count).toBe(buildJsonLines(big).count);
    // Big documents start folded below the second level.
    expect(e.folds?.some((f) => f === 1)).toBe(true);
  });

  it('lays out a large body in the worker, the model coming back without its text', async () => {
    const seen: JobRequest[] = [];
    class FakeWorker {
      onmessage: ((e: { data: unknown }) => void) | null = null;
      onerror: ((e: { preventDefault(): void }) => void) | null = null;
      postMessage(req: JobRequest) {
        seen.push(req);
        setTimeout(() => {
          const text = req.chunks!.map((c) => new TextDecoder().decode(c)).join('');
          const { text: _t, ...model } = buildJsonLines(text, { cut: req.cut });
          void _t;
          this.onmessage?.({ data: { id: req.id, progress: 0.5 } });
          this.onmessage?.({ data: { id: req.id, model } });
        });
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', FakeWorker);
    const { jsonEntry } = await fresh();
    const progress: number[] = [];
    const e = jsonEntry(big.slice(0, 299_990) + 'é☃😀"', true);
    e.onProgress = (p) => progress.push(p);
    await e.ready;
    expect(seen).toHaveLength(1);
    expect(seen[0].cut).toBe(true);
    expect(seen[0].text).toBeUndefined(); // the text went as a transferred buffer
    expect(progress).toEqual([0.5]);
    expect(e.model?.text).toBe(big.slice(0, 299_990) + 'é☃😀"');
    expect(e.model?.count).toBe(buildJsonLines(big.slice(0, 299_990) + 'é☃😀"', { cut: true }).count);
    expect(e.model?.cut).toBe(true);
    expect(e.failed).toBe(false);
  });

  it('hands the work back to the page when the worker cannot start', async () => {
    class BrokenWorker {
      onmessage: unknown = null;
      onerror: ((e: { preventDefault(): void }) => void) | null = null;
      postMessage() {
        setTimeout(() => this.onerror?.({ preventDefault() {} }));
      }
      terminate() {}
    }
    vi.stubGlobal('Worker', BrokenWorker);
    const { jsonEntry } = await fresh();
    const e = jsonEntry(big, false);
    await e.ready;
    expect(e.model?.count).toBeGreaterThan(100000);
  });

  it('marks a large body that is not JSON as failed', async () => {
    vi.stubGlobal('Worker', undefined);
    const { jsonEntry } = await fresh();
    const e = jsonEntry(big.slice(0, 300_000) + ']]', false);
    await e.ready;
    expect(e.model).toBeNull();
    expect(e.failed).toBe(true);
  });
});

describe('the cache', () => {
  it('keeps a few bodies, and only two of 10 MB', async () => {
    const { jsonEntry } = await fresh();
    const small = ['[1]', '[2]', '[3]', '[4]', '[5]'].map((t) => jsonEntry(t, false));
    expect(jsonEntry('[2]', false)).toBe(small[1]);
    expect(jsonEntry('[1]', false)).not.toBe(small[0]); // the oldest went
    const { jsonEntry: again } = await fresh();
    vi.stubGlobal('Worker', undefined);
    const huge = (n: number) => `"${String(n).repeat(10 * 1024 * 1024)}"`;
    const a = again(huge(1), true);
    const b2 = again(huge(2), true);
    const c = again(huge(3), true);
    expect(again(huge(3), true)).toBe(c);
    expect(again(huge(2), true)).toBe(b2);
    expect(again(huge(1), true)).not.toBe(a);
  });
});

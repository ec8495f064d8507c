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
          const { text: _t, ...model } = buildJsonLines(req.text, { cut: req.cut });
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
    const e = jsonEntry(big.slice(0, 300_000), true);
    e.onProgress = (p) => progress.push(p);
    await e.ready;
    expect(seen).toHaveLength(1);
    expect(seen[0].cut).toBe(true);
    expect(progress).toEqual([0.5]);
    expect(e.model?.text).toBe(big.slice(0, 300_000));
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

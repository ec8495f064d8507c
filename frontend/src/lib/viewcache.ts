// viewcache keeps the laid-out form of the bodies the viewer showed last —
// the line model and what the person did with it (folds, scroll position,
// search) — keyed by the text itself, so a viewer that is mounted again (the
// Requests tab shown again, the same body sent again) shows it at once
// instead of laying out megabytes anew.

import { buildJsonLines, buildJsonLinesAsync, defaultFolds, JsonLinesError, yieldToUI, type Folds, type JsonLines } from './jsonlines';
import type { JobReply, JobRequest } from './jsonlines.worker';
import { buildTextLines, type TextLines } from './textlines';

/** Texts up to this length are laid out at once, larger ones in slices. */
export const SYNC_LIMIT = 256 * 1024;
/** How many bodies are kept, and how many characters of them at most (the newest is always kept). */
const KEEP = 4;
const KEEP_CHARS = 24 * 1024 * 1024;

/** JsonEntry is one body's viewer state. `model` is null until laid out (or when not JSON). */
export interface JsonEntry {
  readonly text: string;
  readonly cut: boolean;
  model: JsonLines | null;
  /** The text is not JSON (or a cut JSON when cut is false). */
  failed: boolean;
  /** 0…1 while laying out. */
  progress: number;
  /** Settles when the model is ready or failed. */
  readonly ready: Promise<void>;
  folds: Folds | null;
  scrollTop: number;
  plain: boolean;
  query: string;
  current: number;
  /** Called with the progress while laying out. */
  onProgress?: (p: number) => void;
}

const jsonCache = new Map<string, JsonEntry>();
const textCache = new Map<string, TextLines>();

/**
 * keyOf is a short stand-in for a text as a Map key: its length and a few
 * characters from its start, middle and end. A Map keyed by the text itself
 * would hash all of it (18 ms for 10 MB); a hit is confirmed with ===.
 */
function keyOf(text: string): string {
  if (text.length <= 256) return text;
  const mid = text.length >> 1;
  return `${text.length}:${text.slice(0, 64)}:${text.slice(mid - 32, mid + 32)}:${text.slice(-64)}`;
}

function remember<T extends { text: string }>(cache: Map<string, T>, key: string, value: T) {
  cache.delete(key);
  cache.set(key, value);
  let chars = 0;
  for (const v of cache.values()) chars += v.text.length;
  // Oldest first; a 10 MB body's lines take about 30 MB besides its text.
  for (const [k, v] of cache) {
    if (cache.size <= 1 || (cache.size <= KEEP && chars <= KEEP_CHARS)) break;
    cache.delete(k);
    chars -= v.text.length;
  }
}

// --- the worker ---------------------------------------------------------------

interface Laid {
  model: JsonLines;
  /** The default folds, when the worker made them. */
  folds?: Folds;
}

interface Job {
  text: string;
  cut: boolean;
  onProgress: (p: number) => void;
  resolve: (r: Laid) => void;
  reject: (err: unknown) => void;
}

let worker: Worker | null | undefined;
let nextJob = 1;
const jobs = new Map<number, Job>();

/** inPage lays a job out on the page itself, in slices (no worker, or it failed to start). */
function inPage(j: Job) {
  buildJsonLinesAsync(j.text, { cut: j.cut, onProgress: j.onProgress }).then((model) => j.resolve({ model }), j.reject);
}

function startWorker(): Worker | null {
  if (worker !== undefined) return worker;
  worker = null;
  if (typeof Worker === 'undefined') return null;
  try {
    const w = new Worker(new URL('./jsonlines.worker.ts', import.meta.url), { type: 'module' });
    w.onmessage = (e: MessageEvent<JobReply>) => {
      const r = e.data;
      const j = jobs.get(r.id);
      if (!j) return;
      if ('progress' in r) return j.onProgress(r.progress);
      jobs.delete(r.id);
      if ('model' in r) j.resolve({ model: { ...(r.model as Omit<JsonLines, 'text'>), text: j.text }, folds: r.folds });
      else j.reject(r.notJson ? new JsonLinesError(r.error, -1) : new Error(r.error));
    };
    // A worker that cannot load (a CSP, a webview without module workers)
    // hands its jobs back to the page.
    w.onerror = (e) => {
      e.preventDefault();
      w.terminate();
      worker = null;
      const pending = [...jobs.values()];
      jobs.clear();
      pending.forEach(inPage);
    };
    worker = w;
  } catch {
    worker = null;
  }
  return worker;
}

/** Characters encoded for the worker per slice (about a millisecond, 10 under load). */
const COPY_SLICE = 1 << 19;

/**
 * chunksOf encodes text as UTF-8 a slice at a time, yielding between
 * slices: posting the string itself copies all of it in one task (30–130
 * ms for 10 MB here), and the chunks' buffers are transferred, not copied.
 * A slice never ends between the two halves of a surrogate pair.
 */
async function chunksOf(text: string): Promise<ArrayBuffer[]> {
  const enc = new TextEncoder();
  const out: ArrayBuffer[] = [];
  for (let at = 0; at < text.length; ) {
    await yieldToUI();
    let end = Math.min(text.length, at + COPY_SLICE);
    const last = text.charCodeAt(end - 1);
    if (end < text.length && last >= 0xd800 && last <= 0xdbff) end--;
    out.push(enc.encode(text.slice(at, end)).buffer as ArrayBuffer);
    at = end;
  }
  return out;
}

/**
 * layOut builds the lines of a large text in the worker when there is one,
 * else on the page in slices. Nothing of it runs in the task that brought
 * the text.
 */
function layOut(text: string, cut: boolean, onProgress: (p: number) => void): Promise<Laid> {
  return new Promise((resolve, reject) => {
    const job: Job = { text, cut, onProgress, resolve, reject };
    if (!startWorker()) return inPage(job);
    void chunksOf(text).then((chunks) => {
      const w = worker; // it may have failed to load meanwhile
      if (!w) return inPage(job);
      const id = nextJob++;
      jobs.set(id, job);
      w.postMessage({ id, chunks, cut } satisfies JobRequest, chunks);
    });
  });
}

function settle(e: JsonEntry, build: () => JsonLines, folds?: Folds) {
  try {
    e.model = build();
    e.folds = folds ?? defaultFolds(e.model);
  } catch (err) {
    if (!(err instanceof JsonLinesError)) throw err;
    e.failed = true;
  }
  e.progress = 1;
}

/**
 * jsonEntry returns the viewer state of text, laying it out if it is new:
 * at once when it is small, else in slices (the entry's `ready` settles when
 * done). cut says the text may end inside a value (cut at the size limit).
 */
export function jsonEntry(text: string, cut: boolean): JsonEntry {
  const key = keyOf(text);
  const hit = jsonCache.get(key);
  if (hit && hit.cut === cut && hit.text === text) {
    remember(jsonCache, key, hit);
    return hit;
  }
  let done!: () => void;
  const e: JsonEntry = {
    text,
    cut,
    model: null,
    failed: false,
    progress: 0,
    ready: new Promise<void>((r) => (done = r)),
    folds: null,
    scrollTop: 0,
    plain: false,
    query: '',
    current: 0,
  };
  if (text.length <= SYNC_LIMIT) {
    settle(e, () => buildJsonLines(text, { cut }));
    done();
  } else {
    layOut(text, cut, (p) => e.onProgress?.((e.progress = p))).then(
      ({ model, folds }) => {
        settle(e, () => model, folds);
        done();
      },
      () => {
        // Not JSON (JsonLinesError), or anything else: shown as text.
        e.failed = true;
        e.progress = 1;
        done();
      },
    );
  }
  remember(jsonCache, key, e);
  return e;
}

/** textLines returns the wrapped line starts of text, cached like jsonEntry. */
export function textLines(text: string): TextLines {
  const key = keyOf(text);
  let t = textCache.get(key);
  if (!t || t.text !== text) t = buildTextLines(text);
  remember(textCache, key, t);
  return t;
}

/** clearViewCache forgets every body (for tests). */
export function clearViewCache() {
  jsonCache.clear();
  textCache.clear();
}

// The line model built in a worker, so laying out a 10 MB body takes no
// time from the page (clicks are answered meanwhile). viewcache.ts talks to
// it; the typed arrays come back transferred, not copied.
import { defaultFolds, LineBuilder } from './jsonlines';

/**
 * JobRequest asks for the lines of a text: as a string, or as UTF-8 chunks
 * in transferred buffers (posting a 10 MB string copies it on the page in
 * one go; encoding it can be done a slice at a time). Decoded, the chunks
 * give a text of the same length with the same JSON tokens at the same
 * offsets (a lone surrogate comes back as U+FFFD, also one code unit).
 */
export interface JobRequest {
  id: number;
  text?: string;
  chunks?: ArrayBuffer[];
  cut: boolean;
}

/** JobReply is progress, the model without its text, or a failure. */
export type JobReply =
  | { id: number; progress: number }
  | { id: number; model: Record<string, unknown>; folds: Uint8Array }
  | { id: number; error: string; notJson: boolean };

const ctx = self as unknown as {
  onmessage: ((e: MessageEvent<JobRequest>) => void) | null;
  postMessage(reply: JobReply, transfer?: Transferable[]): void;
};

ctx.onmessage = (e) => {
  const { id, cut, chunks } = e.data;
  try {
    const dec = new TextDecoder();
    const text = e.data.text ?? chunks!.map((c) => dec.decode(c)).join('');
    const b = new LineBuilder(text, { cut });
    for (;;) {
      const m = b.step(1 << 20);
      if (m) {
        const { text: _t, ...model } = m;
        void _t;
        const folds = defaultFolds(m);
        const buffers = [...Object.values(model), folds]
          .filter((v): v is Uint8Array | Int32Array => ArrayBuffer.isView(v))
          .map((v) => v.buffer as ArrayBuffer);
        ctx.postMessage({ id, model, folds }, buffers);
        return;
      }
      ctx.postMessage({ id, progress: b.progress });
    }
  } catch (err) {
    ctx.postMessage({ id, error: String(err), notJson: err instanceof Error && err.name === 'JsonLinesError' });
  }
};

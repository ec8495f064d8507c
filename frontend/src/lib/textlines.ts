// textlines splits plain text into display rows for the virtualized text
// viewer: one row per line, long lines wrapped every WRAP characters (a
// minified 10 MB body is one line), so every row has the same height.

/** Characters per row before a long line wraps. */
export const WRAP = 160;

/** TextLines lists where each row starts; row r is text.slice(starts[r], ends[r]). */
export interface TextLines {
  readonly text: string;
  readonly count: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
}

/** buildTextLines splits text at line breaks (\n, \r\n) and wraps long lines. */
export function buildTextLines(text: string, wrap = WRAP): TextLines {
  let cap = Math.max(16, Math.ceil(text.length / 40));
  let starts = new Int32Array(cap);
  let ends = new Int32Array(cap);
  let n = 0;
  const push = (s: number, e: number) => {
    if (n === cap) {
      cap *= 2;
      const a = new Int32Array(cap);
      a.set(starts);
      starts = a;
      const b = new Int32Array(cap);
      b.set(ends);
      ends = b;
    }
    starts[n] = s;
    ends[n++] = e;
  };
  let i = 0;
  for (;;) {
    let nl = text.indexOf('\n', i);
    const last = nl < 0;
    if (last) nl = text.length;
    const e = nl > i && text.charCodeAt(nl - 1) === 0x0d ? nl - 1 : nl;
    if (e === i) push(i, i);
    for (let s = i; s < e; s += wrap) push(s, Math.min(e, s + wrap));
    if (last) break;
    i = nl + 1;
  }
  return { text, count: n, starts: starts.subarray(0, n), ends: ends.subarray(0, n) };
}

// jsonlines lays out JSON text as pretty-printed lines for the response
// viewer without building a tree: one pass over the text records, per line,
// its kind, depth, and where its key and value sit in the text, in typed
// arrays. What a line shows is cut from the text only when it is on screen,
// so a 10 MB body costs a few bytes per line, not an object per value.
//
// It keeps what JSON.parse loses for a viewer (key order as sent, duplicate
// keys, numbers exactly as written), is iterative (no recursion, so depth is
// bounded by memory only), and is tolerant in one way: with `cut`, text that
// ends inside a value (a body cut at the size limit) is laid out up to the
// cut, which is marked by a line of its own. Anything else that is not JSON
// is an error with the offset where it stopped.

/** Line kinds (JsonLines.kind). */
export const OBJ_OPEN = 1;
export const ARR_OPEN = 2;
export const OBJ_CLOSE = 3;
export const ARR_CLOSE = 4;
export const OBJ_EMPTY = 5;
export const ARR_EMPTY = 6;
export const STRING = 7;
export const NUMBER = 8;
export const TRUE = 9;
export const FALSE = 10;
export const NULL = 11;
/** A member whose key arrived but whose value was cut off. */
export const KEY_ONLY = 12;
/** The marker line where the text was cut. */
export const CUT = 13;

/** Line flags (JsonLines.flags). */
export const F_COMMA = 1;
/** The value (or key) on this line was cut off before its end. */
export const F_PARTIAL = 2;
/** An open line whose container was never closed (cut inside it). */
export const F_UNCLOSED = 4;
/** The member name on this line was cut off before its closing quote. */
export const F_KEY_PARTIAL = 8;

/** JsonLines is the line model of one JSON text. Arrays have `count` used entries. */
export interface JsonLines {
  readonly text: string;
  readonly count: number;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly depth: Int32Array;
  /** Offsets of the member name (with its quotes) in text; -1 when none. */
  readonly keyStart: Int32Array;
  readonly keyEnd: Int32Array;
  /** Offsets of the value token (a bracket for open and close lines). */
  readonly valStart: Int32Array;
  readonly valEnd: Int32Array;
  /** For open lines the close line (the CUT line when unclosed); for close lines the open line. */
  readonly match: Int32Array;
  /** The line of the enclosing container, -1 at the top. */
  readonly parent: Int32Array;
  /** For open lines, the number of members or items. */
  readonly children: Int32Array;
  /** Number of values (for choosing a default fold depth). */
  readonly nodes: number;
  /** Whether the text ended inside a value (only with `cut`). */
  readonly cut: boolean;
  /** The CUT line, or -1. */
  readonly cutLine: number;
}

/** JsonLinesError says where the text stopped being JSON. */
export class JsonLinesError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonLinesError';
  }
}

export interface BuildOptions {
  /** The text may end inside a value: lay it out up to the cut. */
  cut?: boolean;
}

// Parser states: what may come next.
const S_VALUE = 0; // a value
const S_VALUE_OR_CLOSE = 1; // after '[': a value or ']'
const S_KEY_OR_CLOSE = 2; // after '{': a key or '}'
const S_KEY = 3; // after ',' in an object
const S_COLON = 4; // after a key
const S_AFTER = 5; // after a member or item: ',' or the closer
const S_END = 6; // after the top value: only whitespace

const Q = 0x22; // "
const BS = 0x5c; // \

function isWs(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}
function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

/**
 * LineBuilder builds a JsonLines in steps, so a long text can be laid out a
 * slice at a time between other work (see buildJsonLinesAsync).
 */
export class LineBuilder {
  private readonly t: string;
  private readonly n: number;
  private readonly allowCut: boolean;
  private i = 0;
  private state = S_VALUE;
  private cap: number;
  private len = 0;
  private kind: Uint8Array;
  private flags: Uint8Array;
  private depth: Int32Array;
  private keyStart: Int32Array;
  private keyEnd: Int32Array;
  private valStart: Int32Array;
  private valEnd: Int32Array;
  private match: Int32Array;
  private parent: Int32Array;
  private children: Int32Array;
  private stack: Int32Array = new Int32Array(64); // open lines
  private sp = 0;
  private nodes = 0;
  private pendKey = -1; // start of the key waiting for its value
  private pendKeyEnd = -1;
  private pendKeyPartial = false;
  private last = -1; // the line where the last value ended (for its comma)
  private incomplete = false; // the text ended inside a token
  private result: JsonLines | null = null;

  constructor(text: string, opts: BuildOptions = {}) {
    this.t = text;
    this.n = text.length;
    this.allowCut = !!opts.cut;
    this.cap = Math.max(64, Math.ceil(text.length / 12));
    this.kind = new Uint8Array(this.cap);
    this.flags = new Uint8Array(this.cap);
    this.depth = new Int32Array(this.cap);
    this.keyStart = new Int32Array(this.cap);
    this.keyEnd = new Int32Array(this.cap);
    this.valStart = new Int32Array(this.cap);
    this.valEnd = new Int32Array(this.cap);
    this.match = new Int32Array(this.cap);
    this.parent = new Int32Array(this.cap);
    this.children = new Int32Array(this.cap);
  }

  /** How far the builder is, from 0 to 1. */
  get progress(): number {
    return this.n ? this.i / this.n : 1;
  }

  private grow() {
    const cap = this.cap * 2;
    const u8 = (a: Uint8Array) => {
      const b = new Uint8Array(cap);
      b.set(a);
      return b;
    };
    const i32 = (a: Int32Array) => {
      const b = new Int32Array(cap);
      b.set(a);
      return b;
    };
    this.kind = u8(this.kind);
    this.flags = u8(this.flags);
    this.depth = i32(this.depth);
    this.keyStart = i32(this.keyStart);
    this.keyEnd = i32(this.keyEnd);
    this.valStart = i32(this.valStart);
    this.valEnd = i32(this.valEnd);
    this.match = i32(this.match);
    this.parent = i32(this.parent);
    this.children = i32(this.children);
    this.cap = cap;
  }

  /** line appends a line for a value (or closer) from s to e and returns its index. */
  private line(kind: number, s: number, e: number, withKey: boolean): number {
    if (this.len === this.cap) this.grow();
    const l = this.len++;
    this.kind[l] = kind;
    this.flags[l] = 0;
    this.depth[l] = this.sp;
    if (withKey && this.pendKey >= 0) {
      this.keyStart[l] = this.pendKey;
      this.keyEnd[l] = this.pendKeyEnd;
      if (this.pendKeyPartial) this.flags[l] |= F_KEY_PARTIAL;
      this.pendKey = -1;
    } else {
      this.keyStart[l] = -1;
      this.keyEnd[l] = -1;
    }
    this.valStart[l] = s;
    this.valEnd[l] = e;
    this.match[l] = -1;
    this.parent[l] = this.sp > 0 ? this.stack[this.sp - 1] : -1;
    this.children[l] = 0;
    return l;
  }

  private fail(msg: string, at: number): never {
    throw new JsonLinesError(msg, at);
  }

  /** A value begins: count it in its container. */
  private member() {
    this.nodes++;
    if (this.sp > 0) this.children[this.stack[this.sp - 1]]++;
  }

  private afterValue(l: number) {
    this.last = l;
    this.state = this.sp === 0 ? S_END : S_AFTER;
  }

  /**
   * scanString scans the string starting at s (a quote) and returns the
   * offset after its closing quote, or -1 when the text ends inside it.
   */
  private scanString(s: number): number {
    const t = this.t;
    const n = this.n;
    let i = s + 1;
    while (i < n) {
      const c = t.charCodeAt(i);
      if (c === Q) return i + 1;
      if (c === BS) {
        if (i + 1 >= n) return -1;
        const e = t.charCodeAt(i + 1);
        if (e === 0x75) {
          // \uXXXX
          for (let k = 2; k < 6; k++) {
            if (i + k >= n) return -1;
            if (!isHex(t.charCodeAt(i + k))) this.fail('bad \\u escape', i);
          }
          i += 6;
          continue;
        }
        // " \ / b f n r t
        if (e !== Q && e !== BS && e !== 0x2f && e !== 0x62 && e !== 0x66 && e !== 0x6e && e !== 0x72 && e !== 0x74) this.fail('bad escape', i);
        i += 2;
        continue;
      }
      if (c < 0x20) this.fail('control character in string', i);
      i++;
    }
    return -1;
  }

  /** scanNumber returns the end of the number at s, or -1 when the text ends inside its grammar. */
  private scanNumber(s: number): number {
    const t = this.t;
    const n = this.n;
    let i = s;
    if (t.charCodeAt(i) === 0x2d) i++;
    if (i >= n) return -1;
    let c = t.charCodeAt(i);
    if (c === 0x30) i++;
    else if (isDigit(c)) while (i < n && isDigit(t.charCodeAt(i))) i++;
    else this.fail('bad number', i);
    if (i < n && t.charCodeAt(i) === 0x2e) {
      i++;
      if (i >= n) return -1;
      if (!isDigit(t.charCodeAt(i))) this.fail('bad number', i);
      while (i < n && isDigit(t.charCodeAt(i))) i++;
    }
    if (i < n && (t.charCodeAt(i) | 0x20) === 0x65) {
      i++;
      if (i < n && ((c = t.charCodeAt(i)) === 0x2b || c === 0x2d)) i++;
      if (i >= n) return -1;
      if (!isDigit(t.charCodeAt(i))) this.fail('bad number', i);
      while (i < n && isDigit(t.charCodeAt(i))) i++;
    }
    return i;
  }

  private open(kind: number, s: number) {
    this.member();
    const l = this.line(kind, s, s + 1, true);
    if (this.sp === this.stack.length) {
      const b = new Int32Array(this.stack.length * 2);
      b.set(this.stack);
      this.stack = b;
    }
    this.stack[this.sp++] = l;
    this.state = kind === OBJ_OPEN ? S_KEY_OR_CLOSE : S_VALUE_OR_CLOSE;
  }

  private close(s: number) {
    const o = this.stack[--this.sp];
    if (this.children[o] === 0) {
      // {} or []: one line
      this.kind[o] = this.kind[o] === OBJ_OPEN ? OBJ_EMPTY : ARR_EMPTY;
      this.valEnd[o] = s + 1;
      this.afterValue(o);
      return;
    }
    const l = this.line(this.kind[o] === OBJ_OPEN ? OBJ_CLOSE : ARR_CLOSE, s, s + 1, false);
    this.match[o] = l;
    this.match[l] = o;
    this.afterValue(l);
  }

  /**
   * step lays out about `budget` more characters and returns the model once
   * the text is done, else null. It throws JsonLinesError on text that is
   * not JSON.
   */
  step(budget = Infinity): JsonLines | null {
    if (this.result) return this.result;
    const t = this.t;
    const n = this.n;
    const stop = Math.min(n, this.i + budget);
    let i = this.i;
    while (i < stop) {
      const c = t.charCodeAt(i);
      if (isWs(c)) {
        i++;
        continue;
      }
      switch (this.state) {
        case S_VALUE_OR_CLOSE:
          if (c === 0x5d) {
            this.close(i);
            i++;
            continue;
          }
        // falls through
        case S_VALUE: {
          if (c === 0x7b) {
            this.open(OBJ_OPEN, i);
            i++;
          } else if (c === 0x5b) {
            this.open(ARR_OPEN, i);
            i++;
          } else if (c === Q) {
            this.member();
            const e = this.scanString(i);
            const l = this.line(STRING, i, e < 0 ? n : e, true);
            if (e < 0) {
              this.flags[l] |= F_PARTIAL;
              this.incomplete = true;
              i = n;
              break;
            }
            this.afterValue(l);
            i = e;
          } else if (c === 0x2d || isDigit(c)) {
            this.member();
            const e = this.scanNumber(i);
            const l = this.line(NUMBER, i, e < 0 ? n : e, true);
            if (e < 0) {
              this.flags[l] |= F_PARTIAL;
              this.incomplete = true;
            } else if (e === n && this.allowCut && this.sp > 0) this.flags[l] |= F_PARTIAL; // more digits may have followed
            this.afterValue(l);
            i = e < 0 ? n : e;
          } else if (c === 0x74 || c === 0x66 || c === 0x6e) {
            const word = c === 0x74 ? 'true' : c === 0x66 ? 'false' : 'null';
            const k = c === 0x74 ? TRUE : c === 0x66 ? FALSE : NULL;
            const avail = Math.min(word.length, n - i);
            if (t.slice(i, i + avail) !== word.slice(0, avail)) this.fail('unexpected token', i);
            this.member();
            const l = this.line(k, i, i + avail, true);
            if (avail < word.length) {
              this.flags[l] |= F_PARTIAL;
              this.incomplete = true;
            }
            this.afterValue(l);
            i += avail;
          } else {
            this.fail('unexpected character', i);
          }
          continue;
        }
        case S_KEY_OR_CLOSE:
          if (c === 0x7d) {
            this.close(i);
            i++;
            continue;
          }
        // falls through
        case S_KEY: {
          if (c !== Q) this.fail('expected a key', i);
          const e = this.scanString(i);
          this.pendKey = i;
          this.pendKeyEnd = e < 0 ? n : e;
          this.pendKeyPartial = e < 0;
          this.state = S_COLON;
          i = e < 0 ? n : e;
          continue;
        }
        case S_COLON:
          if (c !== 0x3a) this.fail('expected ":"', i);
          this.state = S_VALUE;
          i++;
          continue;
        case S_AFTER: {
          const top = this.stack[this.sp - 1];
          const closer = this.kind[top] === OBJ_OPEN ? 0x7d : 0x5d;
          if (c === 0x2c) {
            this.flags[this.last] |= F_COMMA;
            this.state = this.kind[top] === OBJ_OPEN ? S_KEY : S_VALUE;
            i++;
          } else if (c === closer) {
            this.close(i);
            i++;
          } else {
            this.fail(closer === 0x7d ? 'expected "," or "}"' : 'expected "," or "]"', i);
          }
          continue;
        }
        default:
          this.fail('extra text after the value', i);
      }
    }
    this.i = i;
    if (i < n) return null;
    return (this.result = this.finish());
  }

  private finish(): JsonLines {
    let cut = false;
    let cutLine = -1;
    if (this.state !== S_END || this.incomplete) {
      if (!this.allowCut) this.fail('unexpected end', this.n);
      cut = true;
      if (this.pendKey >= 0) {
        // "key": (or "ke) and then nothing
        this.member();
        this.line(KEY_ONLY, this.pendKeyEnd, this.pendKeyEnd, true);
      }
      const open = this.sp;
      this.sp = 0;
      cutLine = this.line(CUT, this.n, this.n, false);
      this.sp = open;
      for (let k = 0; k < open; k++) {
        const o = this.stack[k];
        this.match[o] = cutLine;
        this.flags[o] |= F_UNCLOSED;
      }
    }
    const sub8 = (a: Uint8Array) => a.subarray(0, this.len);
    const sub = (a: Int32Array) => a.subarray(0, this.len);
    return {
      text: this.t,
      count: this.len,
      kind: sub8(this.kind),
      flags: sub8(this.flags),
      depth: sub(this.depth),
      keyStart: sub(this.keyStart),
      keyEnd: sub(this.keyEnd),
      valStart: sub(this.valStart),
      valEnd: sub(this.valEnd),
      match: sub(this.match),
      parent: sub(this.parent),
      children: sub(this.children),
      nodes: this.nodes,
      cut,
      cutLine,
    };
  }
}

/** buildJsonLines lays out text at once; it throws JsonLinesError when it is not JSON. */
export function buildJsonLines(text: string, opts: BuildOptions = {}): JsonLines {
  return new LineBuilder(text, opts).step()!;
}

/** tryJsonLines is buildJsonLines returning null instead of throwing. */
export function tryJsonLines(text: string, opts: BuildOptions = {}): JsonLines | null {
  try {
    return buildJsonLines(text, opts);
  } catch (err) {
    if (err instanceof JsonLinesError) return null;
    throw err;
  }
}

/** yieldToUI lets input and rendering run before the next slice of work. */
export function yieldToUI(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0);
      return;
    }
    const ch = new MessageChannel();
    ch.port1.onmessage = () => {
      ch.port1.close();
      resolve();
    };
    ch.port2.postMessage(null);
  });
}

/**
 * buildJsonLinesAsync lays out text in slices of at most about `sliceMs`
 * milliseconds, yielding to the page between them so clicks are answered
 * while a large body is laid out. It rejects with JsonLinesError when the
 * text is not JSON, and with an AbortError when signal aborts.
 */
export async function buildJsonLinesAsync(
  text: string,
  opts: BuildOptions & { sliceMs?: number; signal?: AbortSignal; onProgress?: (p: number) => void } = {},
): Promise<JsonLines> {
  const b = new LineBuilder(text, opts);
  const sliceMs = opts.sliceMs ?? 12;
  const chunk = 32 * 1024;
  for (;;) {
    // Every slice, the first too, runs in a task of its own: not in the
    // one that brought the text (a Svelte update, a message from Go).
    await yieldToUI();
    if (opts.signal?.aborted) throw new DOMException('aborted', 'AbortError');
    const until = performance.now() + sliceMs;
    do {
      const done = b.step(chunk);
      if (done) return done;
    } while (performance.now() < until);
    opts.onProgress?.(b.progress);
  }
}

/** isOpen reports whether line l opens a container that has members. */
export function isOpen(m: JsonLines, l: number): boolean {
  const k = m.kind[l];
  return k === OBJ_OPEN || k === ARR_OPEN;
}

// --- folding ---------------------------------------------------------------

/** Folds is which open lines are folded: one byte per line. */
export type Folds = Uint8Array;

/** foldDeeperThan folds every container (with members) nested deeper than depth. */
export function foldDeeperThan(m: JsonLines, depth: number): Folds {
  const f = new Uint8Array(m.count);
  for (let l = 0; l < m.count; l++) if (m.depth[l] > depth && isOpen(m, l)) f[l] = 1;
  return f;
}

/** defaultFolds is what a document starts with: big ones folded below the second level. */
export function defaultFolds(m: JsonLines): Folds {
  return m.nodes > 400 ? foldDeeperThan(m, 1) : new Uint8Array(m.count);
}

/**
 * visibleLines lists the lines shown with folds applied: a folded container
 * shows only its open line (the line after its closer comes next; for a
 * container cut off, the CUT line).
 */
export function visibleLines(m: JsonLines, folds: Folds): Int32Array {
  const out = new Int32Array(m.count);
  let j = 0;
  for (let l = 0; l < m.count; ) {
    out[j++] = l;
    if (folds[l] && isOpen(m, l)) {
      const c = m.match[l];
      l = c === m.cutLine ? c : c + 1;
    } else l++;
  }
  return out.subarray(0, j);
}

/** reveal unfolds every container around line l; it reports whether any was folded. */
export function reveal(m: JsonLines, folds: Folds, l: number): boolean {
  let changed = false;
  const k = m.kind[l];
  // A closer is hidden by its own container's fold as well.
  const inner = k === OBJ_CLOSE || k === ARR_CLOSE ? m.match[l] : l;
  if (inner !== l && folds[inner]) {
    folds[inner] = 0;
    changed = true;
  }
  for (let p = m.parent[inner]; p >= 0; p = m.parent[p]) {
    if (folds[p]) {
      folds[p] = 0;
      changed = true;
    }
  }
  return changed;
}

/** indexOfLine finds line l among the visible lines (binary search), or -1. */
export function indexOfLine(visible: Int32Array, l: number): number {
  let lo = 0;
  let hi = visible.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = visible[mid];
    if (v === l) return mid;
    if (v < l) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

// --- search ----------------------------------------------------------------

/** lineStart is the text offset where line l begins (its key, else its value). */
export function lineStart(m: JsonLines, l: number): number {
  return m.keyStart[l] >= 0 ? m.keyStart[l] : m.valStart[l];
}

/** lineAt finds the line whose text holds offset (the last line starting at or before it). */
export function lineAt(m: JsonLines, offset: number): number {
  let lo = 0;
  let hi = m.count - 1;
  let best = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (lineStart(m, mid) <= offset) {
      best = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return best;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** SearchResult lists the lines that hold a match, in order. */
export interface SearchResult {
  lines: Int32Array;
  /** More lines matched than `limit`. */
  more: boolean;
}

/**
 * search finds query (case-insensitive) in the whole text, including folded
 * parts, and returns the lines holding a match, at most limit of them. It
 * searches the text as received, so what was cut off is never found.
 */
export function search(m: JsonLines, query: string, limit = 10000): SearchResult {
  if (!query || m.count === 0) return { lines: new Int32Array(0), more: false };
  const re = new RegExp(escapeRegExp(query), 'gi');
  const out = new Int32Array(Math.min(limit, 1024));
  let buf = out;
  let j = 0;
  let prev = -1;
  let more = false;
  for (let r = re.exec(m.text); r; r = re.exec(m.text)) {
    const l = lineAt(m, r.index);
    if (l !== prev) {
      if (j === limit) {
        more = true;
        break;
      }
      if (j === buf.length) {
        const b = new Int32Array(Math.min(limit, buf.length * 4));
        b.set(buf);
        buf = b;
      }
      buf[j++] = l;
      prev = l;
    }
    // Past this line's text: one hit per line is enough.
    const next = l + 1 < m.count ? lineStart(m, l + 1) : m.text.length;
    re.lastIndex = Math.max(re.lastIndex, next);
  }
  return { lines: buf.subarray(0, j), more };
}

// --- display ---------------------------------------------------------------

/** Characters of one key or value shown on a line; the rest is counted. */
export const SHOW_CHARS = 2000;

/** LineView is what one line shows. */
export interface LineView {
  depth: number;
  key?: string;
  text: string;
  cls: 'string' | 'number' | 'bool' | 'null' | 'punct' | 'cut';
  /** The line opens a container that can fold. */
  open: boolean;
  folded: boolean;
  /** For folded containers: "3 keys", "2 items", "48213 items so far". */
  summary: string;
  /** The closer a folded line shows ("}" or "]"), empty when cut inside. */
  closer: string;
  comma: boolean;
  /** Characters of the value not shown (over SHOW_CHARS). */
  hidden: number;
  /** The value was cut off before its end. */
  partial: boolean;
}

/** showString renders a JSON string token as JSON.stringify of its value, as the tree viewer did. */
function showString(raw: string, partial: boolean): string {
  if (partial || raw.indexOf('\\') < 0) return raw;
  try {
    return JSON.stringify(JSON.parse(raw));
  } catch {
    return raw;
  }
}

function sizeWord(n: number, obj: boolean): string {
  return obj ? `${n} ${n === 1 ? 'key' : 'keys'}` : `${n} ${n === 1 ? 'item' : 'items'}`;
}

/** lineView prepares line l for display. */
export function lineView(m: JsonLines, l: number, folds: Folds): LineView {
  const t = m.text;
  const k = m.kind[l];
  const f = m.flags[l];
  const v: LineView = {
    depth: m.depth[l],
    text: '',
    cls: 'punct',
    open: false,
    folded: false,
    summary: '',
    closer: '',
    comma: (f & F_COMMA) !== 0,
    hidden: 0,
    partial: (f & F_PARTIAL) !== 0,
  };
  if (m.keyStart[l] >= 0) {
    const ks = m.keyStart[l];
    const ke = Math.min(m.keyEnd[l], ks + SHOW_CHARS);
    v.key = showString(t.slice(ks, ke), (f & F_KEY_PARTIAL) !== 0 || ke < m.keyEnd[l]);
  }
  const s = m.valStart[l];
  const e = m.valEnd[l];
  switch (k) {
    case OBJ_OPEN:
    case ARR_OPEN: {
      const obj = k === OBJ_OPEN;
      v.text = obj ? '{' : '[';
      v.open = true;
      v.folded = folds[l] === 1;
      const unclosed = (f & F_UNCLOSED) !== 0;
      v.summary = sizeWord(m.children[l], obj) + (unclosed ? ' so far' : '');
      v.closer = unclosed ? '' : obj ? '}' : ']';
      // A folded line shows the comma that follows its closer.
      v.comma = v.folded && !unclosed && (m.flags[m.match[l]] & F_COMMA) !== 0;
      break;
    }
    case OBJ_CLOSE:
      v.text = '}';
      break;
    case ARR_CLOSE:
      v.text = ']';
      break;
    case OBJ_EMPTY:
      v.text = '{}';
      break;
    case ARR_EMPTY:
      v.text = '[]';
      break;
    case STRING: {
      const end = Math.min(e, s + SHOW_CHARS);
      v.text = showString(t.slice(s, end), v.partial || end < e);
      v.hidden = e - end;
      v.cls = 'string';
      break;
    }
    case NUMBER:
      v.text = t.slice(s, Math.min(e, s + SHOW_CHARS));
      v.hidden = e - s - v.text.length;
      v.cls = 'number';
      break;
    case TRUE:
    case FALSE:
      v.text = t.slice(s, e);
      v.cls = 'bool';
      break;
    case NULL:
      v.text = t.slice(s, e);
      v.cls = 'null';
      break;
    case KEY_ONLY:
      v.text = '';
      v.partial = true;
      break;
    case CUT:
      v.text = 'The body was cut off here: the rest was not downloaded.';
      v.cls = 'cut';
      break;
  }
  return v;
}

// jsontree parses JSON into a tree that keeps what JSON.parse loses for a
// viewer — key order as sent (JSON.parse moves integer-like keys first),
// duplicate keys, and numbers exactly as written (no float rounding of big
// ids) — and flattens it into lines with folding for the response viewer.

export type JsonNode =
  | { type: 'object'; entries: { key: string; value: JsonNode }[] }
  | { type: 'array'; items: JsonNode[] }
  | { type: 'string'; value: string }
  | { type: 'number'; text: string }
  | { type: 'bool'; value: boolean }
  | { type: 'null' };

/** MAX_DEPTH bounds nesting so hostile bodies cannot exhaust the stack. */
export const MAX_DEPTH = 256;

/** JsonSyntaxError says where parsing stopped. */
export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at offset ${offset}`);
    this.name = 'JsonSyntaxError';
  }
}

/** parseJson parses RFC 8259 JSON text into a JsonNode, or throws JsonSyntaxError. */
export function parseJson(text: string): JsonNode {
  let i = 0;
  const n = text.length;
  const ws = () => {
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++;
      else break;
    }
  };
  const fail = (msg: string): never => {
    throw new JsonSyntaxError(msg, i);
  };
  const str = (): string => {
    // text[i] === '"'
    i++;
    let out = '';
    let start = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        out += text.slice(start, i);
        i++;
        return out;
      }
      if (c === 0x5c) {
        out += text.slice(start, i);
        const e = text[i + 1];
        i += 2;
        switch (e) {
          case '"': out += '"'; break;
          case '\\': out += '\\'; break;
          case '/': out += '/'; break;
          case 'b': out += '\b'; break;
          case 'f': out += '\f'; break;
          case 'n': out += '\n'; break;
          case 'r': out += '\r'; break;
          case 't': out += '\t'; break;
          case 'u': {
            const hex = text.slice(i, i + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
            out += String.fromCharCode(parseInt(hex, 16));
            i += 4;
            break;
          }
          default:
            i -= 2;
            fail('bad escape');
        }
        start = i;
        continue;
      }
      if (c < 0x20) fail('control character in string');
      i++;
    }
    return fail('unterminated string');
  };
  const num = (): JsonNode => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail('bad number');
    i += m[0].length;
    return { type: 'number', text: m[0] };
  };
  const lit = (word: string, node: JsonNode): JsonNode => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return node;
    }
    return fail('unexpected token');
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail('nesting too deep');
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      const entries: { key: string; value: JsonNode }[] = [];
      ws();
      if (text[i] === '}') {
        i++;
        return { type: 'object', entries };
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key');
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i++;
        entries.push({ key, value: value(depth + 1) });
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return { type: 'object', entries };
        }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i++;
      const items: JsonNode[] = [];
      ws();
      if (text[i] === ']') {
        i++;
        return { type: 'array', items };
      }
      for (;;) {
        items.push(value(depth + 1));
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return { type: 'array', items };
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return { type: 'string', value: str() };
    if (c === 't') return lit('true', { type: 'bool', value: true });
    if (c === 'f') return lit('false', { type: 'bool', value: false });
    if (c === 'n') return lit('null', { type: 'null' });
    if (c === '-' || (c >= '0' && c <= '9')) return num();
    return fail(i >= n ? 'unexpected end' : 'unexpected character');
  };
  const root = value(0);
  ws();
  if (i < n) fail('extra text after the value');
  return root;
}

/** childPath builds the fold path of a child: JSON Pointer (RFC 6901). */
export function childPath(parent: string, key: string | number): string {
  const k = String(key).replace(/~/g, '~0').replace(/\//g, '~1');
  return `${parent}/${k}`;
}

/** JsonLine is one rendered line of the tree. */
export interface JsonLine {
  depth: number;
  /** The member name, for object members. */
  key?: string;
  /** The value's text ("{", "]", "\"a\"", "42", "true", "null"). */
  text: string;
  kind: 'string' | 'number' | 'bool' | 'null' | 'punct';
  /** Fold path (JSON Pointer) of the container that opens on this line. */
  path?: string;
  folded?: boolean;
  /** For folded containers: "3 keys" / "2 items". */
  summary?: string;
  comma: boolean;
}

function sizeWord(node: JsonNode): string {
  if (node.type === 'object') return `${node.entries.length} ${node.entries.length === 1 ? 'key' : 'keys'}`;
  if (node.type === 'array') return `${node.items.length} ${node.items.length === 1 ? 'item' : 'items'}`;
  return '';
}

function scalar(node: JsonNode): Pick<JsonLine, 'text' | 'kind'> {
  switch (node.type) {
    case 'string':
      return { text: JSON.stringify(node.value), kind: 'string' };
    case 'number':
      return { text: node.text, kind: 'number' };
    case 'bool':
      return { text: String(node.value), kind: 'bool' };
    default:
      return { text: 'null', kind: 'null' };
  }
}

/**
 * toLines flattens a tree into display lines, skipping the insides of
 * containers whose path is in `folded`. At most `limit` lines are produced;
 * `more` is true when the tree had more.
 */
export function toLines(root: JsonNode, folded: ReadonlySet<string>, limit = 20000): { lines: JsonLine[]; more: boolean } {
  const lines: JsonLine[] = [];
  let more = false;
  const walk = (node: JsonNode, depth: number, path: string, key: string | undefined, comma: boolean) => {
    if (lines.length >= limit) {
      more = true;
      return;
    }
    if (node.type === 'object' || node.type === 'array') {
      const open = node.type === 'object' ? '{' : '[';
      const close = node.type === 'object' ? '}' : ']';
      const count = node.type === 'object' ? node.entries.length : node.items.length;
      if (count === 0) {
        lines.push({ depth, key, text: open + close, kind: 'punct', comma });
        return;
      }
      if (folded.has(path)) {
        lines.push({ depth, key, text: open, kind: 'punct', path, folded: true, summary: sizeWord(node), comma });
        return;
      }
      lines.push({ depth, key, text: open, kind: 'punct', path, folded: false, comma: false });
      if (node.type === 'object') {
        node.entries.forEach((e, idx) => walk(e.value, depth + 1, childPath(path, e.key), e.key, idx < count - 1));
      } else {
        node.items.forEach((v, idx) => walk(v, depth + 1, childPath(path, idx), undefined, idx < count - 1));
      }
      if (lines.length >= limit) {
        more = true;
        return;
      }
      lines.push({ depth, text: close, kind: 'punct', comma });
      return;
    }
    lines.push({ depth, key, ...scalar(node), comma });
  };
  walk(root, 0, '', undefined, false);
  return { lines, more };
}

/** toggleFold returns a new set with `path` folded if it was open, open if folded. */
export function toggleFold(folded: ReadonlySet<string>, path: string): Set<string> {
  const next = new Set(folded);
  if (next.has(path)) next.delete(path);
  else next.add(path);
  return next;
}

/** foldDeeperThan returns the paths of all non-empty containers nested deeper than `depth`. */
export function foldDeeperThan(root: JsonNode, depth: number): Set<string> {
  const out = new Set<string>();
  const walk = (node: JsonNode, d: number, path: string) => {
    if (node.type === 'object') {
      if (d > depth && node.entries.length) out.add(path);
      node.entries.forEach((e) => walk(e.value, d + 1, childPath(path, e.key)));
    } else if (node.type === 'array') {
      if (d > depth && node.items.length) out.add(path);
      node.items.forEach((v, i) => walk(v, d + 1, childPath(path, i)));
    }
  };
  walk(root, 0, '');
  return out;
}

/** countNodes counts values in a tree (for choosing a default fold depth). */
export function countNodes(root: JsonNode): number {
  let c = 0;
  const walk = (node: JsonNode) => {
    c++;
    if (node.type === 'object') node.entries.forEach((e) => walk(e.value));
    else if (node.type === 'array') node.items.forEach(walk);
  };
  walk(root);
  return c;
}

// Untrusted text reaches the DOM only through Svelte text bindings
// (security rule 26): no raw-HTML directive and no HTML-string DOM property
// anywhere in src.
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

// Vitest runs with the frontend folder as its root.
const rootDir = process.cwd();
const srcDir = join(rootDir, 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : [p];
  });
}

describe('no raw HTML', () => {
  // Built from parts so this file does not match itself.
  const banned = ['{@' + 'html', 'inner' + 'HTML', 'outer' + 'HTML', 'insertAdjacent' + 'HTML', 'document.' + 'write'];
  const sources = files(srcDir).filter((f) => /\.(svelte|ts|js)$/.test(f));

  it('scans the sources', () => {
    expect(sources.length).toBeGreaterThan(20);
  });

  for (const word of banned) {
    it(`has no ${word}`, () => {
      const hits = sources.filter((f) => readFileSync(f, 'utf8').includes(word));
      expect(hits).toEqual([]);
    });
  }
});

/** directives splits a CSP into its directives' source lists, by name. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name && !out.has(name.toLowerCase())) out.set(name.toLowerCase(), sources);
  }
  return out;
}

/**
 * connectProblems names what lets the page talk to more than its own origin.
 * The Wails bridge needs only that: production IPC is no network at all
 * (WebKit message handlers / WebView2 postMessage), and the dev server's
 * WebSocket is ws://<the page's own host>/wails/ipc, which CSP3 'self'
 * matches. A scheme source (ws:, wss:, http:, https:), a wildcard or a
 * host would let injected script send tokens anywhere.
 */
function connectProblems(csp: string): string[] {
  const d = directives(csp);
  const sources = d.get('connect-src') ?? d.get('default-src') ?? [];
  return sources.filter((s) => s !== "'self'").map((s) => `connect-src allows ${s}`);
}

describe('the CSP check', () => {
  it("refuses the old connect-src 'self' ws: wss:, and any other way out", () => {
    expect(connectProblems("default-src 'self'; connect-src 'self' ws: wss:")).toEqual(['connect-src allows ws:', 'connect-src allows wss:']);
    expect(connectProblems("default-src 'self'; connect-src *")).toEqual(['connect-src allows *']);
    expect(connectProblems("default-src 'self'; connect-src 'self' http://127.0.0.1:*")).toHaveLength(1);
    expect(connectProblems("default-src *")).toEqual(['connect-src allows *']);
    expect(connectProblems("default-src 'self'; connect-src 'self'")).toEqual([]);
  });
});

describe('index.html', () => {
  const html = readFileSync(join(rootDir, 'index.html'), 'utf8');
  const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
  it('lets the page connect only to its own origin', () => {
    expect(directives(csp).get('connect-src')).toEqual(["'self'"]);
    expect(connectProblems(csp)).toEqual([]);
  });
  it('carries the strict CSP', () => {
    expect(csp).toContain("default-src 'self'");
    expect(csp).toMatch(/script-src 'self';/);
    expect(csp).not.toMatch(/script-src[^;]*unsafe/);
    for (const d of ["object-src 'none'", "frame-src 'none'", "base-uri 'none'", "form-action 'none'"]) expect(csp).toContain(d);
  });
  it('has no inline script and no external resource', () => {
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src=/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});

describe('built dist/index.html', () => {
  const built = join(rootDir, 'dist', 'index.html');
  // Only meaningful after `npm run build`; the build must not add inline scripts.
  it.skipIf(!existsSync(built))('has only external scripts', () => {
    const html = readFileSync(built, 'utf8');
    for (const [, attrs, body] of html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)) {
      expect(attrs).toMatch(/src=/);
      expect(body.trim()).toBe('');
    }
    expect(html).toContain("script-src 'self'");
    const csp = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1] ?? '';
    expect(connectProblems(csp)).toEqual([]);
  });
});

// Reading trace events: step names in words and the values the Flow tab
// lifts out of specific steps (the authorization URL, the PKCE pair).

import type { TraceEvent, TraceField } from './api';

const stepNames: Record<string, string> = {
  discovery: 'Discovery',
  listener: 'Listening',
  pkce: 'PKCE',
  authorize: 'Authorization request',
  browser: 'Browser',
  callback: 'Callback',
  paste: 'Pasted redirect',
  device: 'Device code',
  token_request: 'Token request',
  token_response: 'Token response',
  id_token: 'ID token',
  userinfo: 'UserInfo',
  refresh: 'Refresh',
  revoke: 'Revoke',
  introspect: 'Introspect',
  logout: 'Logout',
  exchange: 'Token exchange',
  done: 'Done',
  error: 'Error',
};

/** stepName is a step's name in words; unknown steps show as sent. */
export function stepName(step: string): string {
  return stepNames[step] ?? step;
}

/**
 * authUrlOf returns the authorization request URL carried by an "authorize"
 * event: a field named url/authorization_url, else the first field whose
 * value is an http(s) URL with a query. "" when there is none.
 */
export function authUrlOf(ev: TraceEvent): string {
  if (ev.step !== 'authorize') return '';
  const named = ev.fields.find((f) => /^(url|authorization_url|auth_url|authorize_url)$/i.test(f.name) && !f.secret);
  if (named && /^https?:\/\//i.test(named.value)) return named.value;
  return ev.fields.find((f) => !f.secret && /^https?:\/\/[^\s]+\?/i.test(f.value))?.value ?? '';
}

/** lastAuthUrl is the authorization URL of the latest authorize event in a timeline. */
export function lastAuthUrl(events: TraceEvent[]): string {
  for (let i = events.length - 1; i >= 0; i--) {
    const u = authUrlOf(events[i]);
    if (u) return u;
  }
  return '';
}

/** pkceFields picks the verifier, challenge and method out of a "pkce" event. */
export function pkceFields(ev: TraceEvent): { verifier?: TraceField; challenge?: TraceField; method: string } {
  return {
    verifier: ev.fields.find((f) => /verifier/i.test(f.name)),
    challenge: ev.fields.find((f) => /challenge/i.test(f.name) && !/method/i.test(f.name)),
    method: ev.fields.find((f) => /method/i.test(f.name))?.value || 'S256',
  };
}

/** TimelineItem is one row of the Flow tab: a single event, or a run of checks. */
export type TimelineItem = { kind: 'event'; event: TraceEvent } | { kind: 'checks'; step: string; events: TraceEvent[] };

/** isCheckEvent says whether an event is one check's result (Go adds its reason as the "why" field). */
export function isCheckEvent(ev: TraceEvent): boolean {
  return ev.fields.some((f) => f.name === 'why');
}

/**
 * groupTimeline folds each run of two or more consecutive check events of
 * the same step (the ID-token checks) into one checklist row; a lone check
 * and every other event stay single rows.
 */
export function groupTimeline(events: TraceEvent[]): TimelineItem[] {
  const runs: TimelineItem[] = [];
  for (const ev of events) {
    const last = runs[runs.length - 1];
    if (isCheckEvent(ev)) {
      if (last?.kind === 'checks' && last.step === ev.step) last.events.push(ev);
      else runs.push({ kind: 'checks', step: ev.step, events: [ev] });
    } else {
      runs.push({ kind: 'event', event: ev });
    }
  }
  return runs.map((r) => (r.kind === 'checks' && r.events.length === 1 ? { kind: 'event', event: r.events[0] } : r));
}

// Steps that only a browser sign-in (RFC 8252 §7.3 loopback redirect) records.
const browserSteps = new Set(['authorize', 'browser', 'callback']);

/**
 * isRestoreStory says whether a timeline tells how a session came back from
 * a refresh token kept in the OS keychain (RFC 6749 §6) rather than how
 * someone signed in through the browser: it has no authorization, browser
 * or callback step, and either the session says it was restored or a "done"
 * step says so in its title.
 */
export function isRestoreStory(events: TraceEvent[], restored: boolean): boolean {
  if (events.length === 0 || events.some((e) => browserSteps.has(e.step))) return false;
  return restored || events.some((e) => e.step === 'done' && /\brestored\b/i.test(e.title));
}

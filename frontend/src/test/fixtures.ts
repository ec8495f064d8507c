// Sample data shaped like what Go sends, for component tests. Each is typed
// against the generated view types (no casts), so a field Go adds or drops
// fails `npm run check` here first.
import type { Profile, Session, TraceEvent, Token } from '../lib/api';
import { emptySession } from '../lib/desk.svelte';

export const XSS = '<img src=x onerror=alert(1)>';

export function profile(over: Partial<Profile> = {}): Profile {
  const base: Profile = {
    id: 'p1',
    name: 'Acme staging',
    preset: 'generic',
    builtIn: false,
    issuer: 'https://sso.acme.test',
    endpoints: { authorization: '', token: '', userinfo: '', revocation: '', introspection: '', endSession: '', jwks: '', deviceAuthorization: '' },
    clientId: 'desk-app',
    authMethod: 'none',
    hasClientSecret: false,
    clientSecret: '',
    scopes: ['openid'],
    params: [],
    grant: '',
    redirectUri: '',
    redirectHost: '127.0.0.1',
    redirectPort: 0,
    redirectPath: '/callback',
    timeoutSeconds: 300,
    caFile: '',
    keepSignedIn: false,
    apiBase: 'http://127.0.0.1:53120/api',
    status: 'signed_out',
    foreignEndpoints: [],
    trustedOrigins: [],
  };
  return { ...base, ...over };
}

export function jwt(claims: { name: string; value: string; time?: string; meaning?: string }[]): Token {
  const t: Token = {
    present: true,
    kind: 'jwt',
    masked: 'eyJhbG…Xk9w',
    header: [{ name: 'alg', value: 'RS256', raw: '"RS256"', meaning: 'algorithm', time: '' }],
    claims: claims.map((c) => ({ name: c.name, value: c.value, raw: JSON.stringify(c.value), meaning: c.meaning ?? '', time: c.time ?? '' })),
    rawHeader: '{"alg":"RS256"}',
    rawClaims: '{}',
    expiresAt: '',
    issuedAt: '',
  };
  return t;
}

export function session(status: string, over: Partial<Session> = {}): Session {
  return { ...emptySession('p1'), status, ...over };
}

export function event(seq: number, over: Partial<TraceEvent> = {}): TraceEvent {
  const base: TraceEvent = {
    attempt: 0,
    seq,
    time: '2026-11-25T13:00:00.000Z',
    offsetMs: seq * 10,
    step: 'discovery',
    status: 'ok',
    title: `step ${seq}`,
    detail: '',
    fields: [],
  };
  return { ...base, ...over };
}

// api is the one module that talks to the Go side: every binding call, every
// event subscription and the clipboard go through here, typed. Components
// never import from wailsjs directly.
//
// Go errors reject the binding's promise with a plain string; call() turns
// that into an ApiError whose message is exactly what Go said, so a
// component can show it beside the control that caused it.

import * as App from '../../wailsjs/go/main/App';
import { view } from '../../wailsjs/go/models';
import { ClipboardSetText, EventsOn } from '../../wailsjs/runtime/runtime';
import { Events, type EventName } from './events';
import { joinBodyParts, type PartProgress } from './bodyparts';

// Plain strips the methods Wails adds to its generated classes, leaving the
// JSON data shape that actually travels between Go and the webview.
type Plain<T> = T extends (infer U)[]
  ? Plain<U>[]
  : T extends object
    ? { [K in keyof T as T[K] extends (...args: never[]) => unknown ? never : K]: Plain<T[K]> }
    : T;

export type AppInfo = Plain<view.AppInfo>;
export type Notice = Plain<view.Notice>;
/** Grant is how a profile gets its tokens (view.Profile.grant; "" from older profiles = authorization_code). */
export type Grant = 'authorization_code' | 'device_code' | 'client_credentials';

export type Profile = Plain<view.Profile>;
export type Endpoints = Plain<view.Endpoints>;
export type ForeignEndpoint = Plain<view.ForeignEndpoint>;
export type KV = Plain<view.KV>;
export type FieldError = Plain<view.FieldError>;
export type SaveResult = Plain<view.SaveResult>;
export type Preset = Plain<view.Preset>;
export type Discovery = Plain<view.Discovery>;
export type ImportResult = Plain<view.ImportResult>;
export type Settings = Plain<view.Settings>;
/** QR is a QR code as an SVG path in module units, viewBox 0 0 size size (quiet zone included). */
export type QR = Plain<view.QR>;
/** Device is a device sign-in waiting for the user (RFC 8628 §3.2). */
export type Device = Plain<view.Device>;
/** Handoff is a code sign-in waiting for the browser to come back. */
export type Handoff = Plain<view.Handoff>;

/** ExchangeRequest asks for a token exchange (RFC 8693 §2.1). */
export interface ExchangeRequest {
  /** "access" (the default) or "id": which of the session's tokens is the subject. */
  subjectToken: string;
  audience: string;
  resource: string;
  scope: string;
  requestedTokenType: string;
}

/** Session is view.Session; Go sends a nil device or handoff as null. */
export type Session = Omit<Plain<view.Session>, 'device' | 'handoff'> & {
  /** Non-null while a device sign-in waits. */
  device?: Device | null;
  /** Non-null while a code sign-in waits (and after a timeout with a pending paste). */
  handoff?: Handoff | null;
};
export type Abilities = Plain<view.Abilities>;
export type Token = Plain<view.Token>;
export type Claim = Plain<view.Claim>;
export type Check = Plain<view.Check>;
export type ApiErrorView = Plain<view.Error>;
export type SignOutResult = Plain<view.SignOutResult>;
export type TraceEvent = Plain<view.TraceEvent>;
export type TraceField = Plain<view.TraceField>;
export type RequestSpec = Plain<view.RequestSpec>;
export type Response = Plain<view.Response>;
export type Timings = Plain<view.Timings>;
export type HistoryEntry = Plain<view.HistoryEntry>;

/**
 * keysOf lists a generated view class's JSON field names, in Go's struct
 * order: the generated constructor assigns every field, even from an empty
 * source. So the UI's field lists follow the bindings (`make bindings`)
 * instead of a copy that can drift from Go.
 */
function keysOf<T extends object>(cls: new (source?: unknown) => T): Extract<keyof Plain<T>, string>[] {
  return Object.keys(new cls({})) as Extract<keyof Plain<T>, string>[];
}

/** endpointKeys are view.Endpoints' field names, from the generated bindings. */
export const endpointKeys = keysOf(view.Endpoints);

/** TraceUpdate is the payload of the "trace" event. */
export interface TraceUpdate {
  profileId: string;
  event: TraceEvent;
}

/** TokenKind names a token for RevealToken / Revoke / Introspect. */
export type TokenKind = 'access' | 'id' | 'refresh';

/** ApiError is a rejected Go call; message is Go's own text, unchanged. */
export class ApiError extends Error {
  readonly method: string;
  constructor(method: string, message: string) {
    super(message);
    this.name = 'ApiError';
    this.method = method;
  }
}

/** errorText turns anything thrown by a call into words for the UI. */
export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

async function call<T>(method: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    // Go returns a string; a missing bridge throws a TypeError.
    const msg = errorText(err) || `${method} failed`;
    throw new ApiError(method, msg);
  }
}

/** available says whether the Go bridge is present (false in plain browsers). */
export function available(): boolean {
  const w = window as unknown as { go?: { main?: { App?: unknown } } };
  return !!w.go?.main?.App;
}

// Go sends nil slices as null; these keep components free of null checks.
function arr<T>(a: T[] | null | undefined): T[] {
  return Array.isArray(a) ? a : [];
}

/** normalizeProfile gives every list and nested object of a profile a value. */
export function normalizeProfile(p: Profile): Profile {
  const e = (p.endpoints ?? {}) as Partial<Endpoints>;
  return {
    ...p,
    grant: p.grant ?? '',
    redirectUri: p.redirectUri ?? '',
    endpoints: Object.fromEntries(endpointKeys.map((k) => [k, e[k] ?? ''])) as Endpoints,
    scopes: arr(p.scopes),
    params: arr(p.params),
    clientSecret: p.clientSecret ?? '',
    foreignEndpoints: arr(p.foreignEndpoints),
    trustedOrigins: arr(p.trustedOrigins),
  } as Profile;
}

function normalizeToken(t: Token | null | undefined): Token {
  const v = (t ?? {}) as Token;
  return { ...v, present: !!v.present, header: arr(v.header), claims: arr(v.claims) } as Token;
}

/** normalizeSession gives every list and token of a session a value. */
export function normalizeSession(s: Session | null): Session {
  s = (s ?? {}) as Session;
  return {
    ...s,
    scopes: arr(s.scopes),
    checks: arr(s.checks),
    accessToken: normalizeToken(s.accessToken),
    idToken: normalizeToken(s.idToken),
    refreshToken: normalizeToken(s.refreshToken),
    capabilities: (s.capabilities ?? {}) as Abilities,
    grant: s.grant ?? '',
    device: s.device ? ({ ...s.device, qr: s.device.qr ?? { size: 0, path: '' } } as Device) : null,
    handoff: s.handoff ?? null,
    issuedTokenType: s.issuedTokenType ?? '',
    exchangedFrom: s.exchangedFrom ?? '',
    error: s.error ? ({ ...s.error, origins: arr(s.error.origins) } as ApiErrorView) : s.error,
  } as Session;
}

function normalizeEvent(e: TraceEvent): TraceEvent {
  return { ...e, fields: arr(e.fields) } as TraceEvent;
}

// noTimings is a response's timings when Go measured none (-1 is "unknown").
const noTimings: Timings = { dnsMs: -1, connectMs: -1, tlsMs: -1, firstByteMs: -1, totalMs: -1 };

/** normalizeResponse gives every list of a response a value. */
export function normalizeResponse(r: Response): Response {
  return {
    ...r,
    headers: arr(r.headers),
    notices: arr(r.notices),
    timings: r.timings ?? { ...noTimings },
  } as Response;
}

/**
 * bound calls a Go binding by name. The bindings issue 14 adds
 * (PasteRedirect, OpenAuthorizationAgain, ExchangeToken) are called through
 * it so the UI builds before `make bindings` has generated them; a missing
 * one rejects like any Go error.
 */
function bound<T>(method: string, ...args: unknown[]): Promise<T> {
  // The generated wrappers do exactly this: window.go.main.App[method](...args).
  const w = window as unknown as { go?: { main?: { App?: Record<string, ((...a: unknown[]) => Promise<T>) | undefined> } } };
  const fn = w.go?.main?.App?.[method];
  if (typeof fn !== 'function') return Promise.reject(new ApiError(method, `This build of PKCE Desk has no ${method}.`));
  return call(method, () => fn(...args));
}

/**
 * api is every Go binding, typed. Each call resolves with Go's answer (lists
 * never null) or rejects with an ApiError carrying Go's message unchanged.
 * Secrets come back only from the reveal calls, on an explicit click.
 */
export const api = {
  info: () => call('Info', () => App.Info()).then((i) => ({ ...i, notices: arr(i?.notices) }) as AppInfo),
  profiles: () => call('Profiles', () => App.Profiles()).then((ps) => arr(ps).map(normalizeProfile)),
  selectedProfile: () => call('SelectedProfile', () => App.SelectedProfile()),
  selectProfile: (id: string) => call('SelectProfile', () => App.SelectProfile(id)),
  presets: () =>
    call('Presets', () => App.Presets()).then((ps) =>
      arr(ps).map((p) => ({ ...p, needs: arr(p.needs), notes: arr(p.notes) }) as Preset),
    ),
  newProfile: (presetId: string) => call('NewProfile', () => App.NewProfile(presetId)).then(normalizeProfile),
  validateProfile: (p: Profile) => call('ValidateProfile', () => App.ValidateProfile(p as view.Profile)).then(arr),
  saveProfile: (p: Profile) =>
    call('SaveProfile', () => App.SaveProfile(p as view.Profile)).then(
      (r) => ({ profile: r.profile ? normalizeProfile(r.profile) : r.profile, errors: arr(r.errors) }) as SaveResult,
    ),
  deleteProfile: (id: string) => call('DeleteProfile', () => App.DeleteProfile(id)),
  duplicateProfile: (id: string) => call('DuplicateProfile', () => App.DuplicateProfile(id)).then(normalizeProfile),
  redirectURI: (p: Profile) => call('RedirectURI', () => App.RedirectURI(p as view.Profile)),
  discover: (p: Profile) =>
    call('Discover', () => App.Discover(p as view.Profile)).then(
      (d) =>
        ({
          ...d,
          scopesSupported: arr(d.scopesSupported),
          grantTypes: arr(d.grantTypes),
          authMethods: arr(d.authMethods),
        }) as Discovery,
    ),
  trustEndpointOrigins: (id: string, origins: string[]) =>
    call('TrustEndpointOrigins', () => App.TrustEndpointOrigins(id, origins)).then(normalizeProfile),
  reservedParams: () => call('ReservedParams', () => App.ReservedParams()).then(arr),
  exportProfiles: (ids: string[]) => call('ExportProfiles', () => App.ExportProfiles(ids)),
  importProfiles: () =>
    call('ImportProfiles', () => App.ImportProfiles()).then(
      (r) =>
        ({ ...r, items: arr(r.items).map((i) => ({ ...i, problems: arr(i.problems), notes: arr(i.notes) })) }) as ImportResult,
    ),
  signIn: (id: string) => call('SignIn', () => App.SignIn(id)).then(normalizeSession),
  signInAsAnotherUser: (id: string) =>
    call('SignInAsAnotherUser', () => App.SignInAsAnotherUser(id)).then(normalizeSession),
  cancelSignIn: (id: string) => call('CancelSignIn', () => App.CancelSignIn(id)),
  signOut: (id: string) => call('SignOut', () => App.SignOut(id)),
  session: (id: string) => call('Session', () => App.Session(id)).then(normalizeSession),
  trace: (id: string) => call('Trace', () => App.Trace(id)).then((es) => arr(es).map(normalizeEvent)),
  revealTraceField: (id: string, seq: number, name: string) =>
    call('RevealTraceField', () => App.RevealTraceField(id, seq, name)),
  exportTrace: (id: string, format: 'markdown' | 'json') => call('ExportTrace', () => App.ExportTrace(id, format)),
  revealToken: (id: string, kind: TokenKind) => call('RevealToken', () => App.RevealToken(id, kind)),
  refresh: (id: string) => call('Refresh', () => App.Refresh(id)).then(normalizeSession),
  revoke: (id: string, kind: 'access' | 'refresh') => call('Revoke', () => App.Revoke(id, kind)).then(normalizeSession),
  introspect: (id: string, kind: 'access' | 'refresh') => call('Introspect', () => App.Introspect(id, kind)),
  userInfo: (id: string) => call('UserInfo', () => App.UserInfo(id)).then(normalizeSession),
  /** send sends a test request; a big body arrives in parts after the result (see bodyparts.ts). */
  send: (spec: RequestSpec, progress?: PartProgress) =>
    call('Send', () => App.Send(spec as view.RequestSpec))
      .then((r) => joinBodyParts(r as Response, (id, which, i) => call('ResponseBodyPart', () => App.ResponseBodyPart(id, which, i)), progress))
      .then(normalizeResponse),
  cancelSend: (requestId: string) => call('CancelSend', () => App.CancelSend(requestId)),
  history: (profileId: string) => call('History', () => App.History(profileId)).then(arr),
  clearHistory: (profileId: string) => call('ClearHistory', () => App.ClearHistory(profileId)),
  curl: (spec: RequestSpec, reveal: boolean) => call('Curl', () => App.Curl(spec as view.RequestSpec, reveal)),
  settings: () => call('Settings', () => App.Settings()),
  saveSettings: (s: Settings) => call('SaveSettings', () => App.SaveSettings(s as view.Settings)),
  openInBrowser: (url: string) => call('OpenInBrowser', () => App.OpenInBrowser(url)),
  /** pasteRedirect hands a waiting sign-in the address the browser ended on; rejects with the refusal reason. */
  pasteRedirect: (id: string, raw: string) => bound<void>('PasteRedirect', id, raw),
  /** openAuthorizationAgain opens the waiting sign-in's authorization URL in the system browser again. */
  openAuthorizationAgain: (id: string) => bound<void>('OpenAuthorizationAgain', id),
  /** exchangeToken trades the session's token for another (RFC 8693); the result is a new profile's session. */
  exchangeToken: (id: string, req: ExchangeRequest) =>
    bound<Profile>('ExchangeToken', id, req).then(normalizeProfile),
};

/** copyText puts text on the system clipboard (an explicit user action only). */
export async function copyText(text: string): Promise<void> {
  const ok = await call('ClipboardSetText', () => Promise.resolve(ClipboardSetText(text)));
  if (ok === false) throw new ApiError('ClipboardSetText', 'The clipboard refused the text. Try again.');
}

type Unsubscribe = () => void;

function on<T>(name: EventName, cb: (payload: T) => void): Unsubscribe {
  const w = window as unknown as { runtime?: unknown };
  if (!w.runtime) return () => {};
  return EventsOn(name, (payload: T) => cb(payload));
}

/** onTrace calls cb for every new trace event of any profile. */
export function onTrace(cb: (u: TraceUpdate) => void): Unsubscribe {
  return on<TraceUpdate>(Events.trace, (u) => {
    if (u && u.event) cb({ profileId: u.profileId, event: normalizeEvent(u.event) });
  });
}

/** onSession calls cb whenever a profile's session changes. */
export function onSession(cb: (s: Session) => void): Unsubscribe {
  return on<Session>(Events.session, (s) => {
    if (s) cb(normalizeSession(s));
  });
}

/** onNotice calls cb for each message Go wants the user to see. */
export function onNotice(cb: (n: Notice) => void): Unsubscribe {
  return on<Notice>(Events.notice, (n) => {
    if (n) cb(n);
  });
}

/** onProfiles calls cb when the profile list changed on the Go side. */
export function onProfiles(cb: () => void): Unsubscribe {
  return on<unknown>(Events.profiles, () => cb());
}

/** onInfo calls cb when Info changed on the Go side (the keychain probe finished). */
export function onInfo(cb: () => void): Unsubscribe {
  return on<unknown>(Events.info, () => cb());
}

// desk is the UI's state: profiles, the selected one, each profile's session
// and trace, settings, toasts and a clock for countdowns. It is
// filled from the Go bindings (through api) and kept live by Go's events.

import {
  api,
  errorText,
  onNotice,
  onInfo,
  onProfiles,
  onSession,
  onTrace,
  type AppInfo,
  type ExchangeRequest,
  type Preset,
  type Profile,
  type RequestSpec,
  type Response,
  type Session,
  type Settings,
  type Token,
  type TraceEvent,
  type TraceUpdate,
} from './api';
import { Clock } from './clock.svelte';

/** TabId names the main tabs. */
export type TabId = 'flow' | 'tokens' | 'requests' | 'profile';

/** Toast is a transient message at the bottom of the window. */
export interface Toast {
  id: number;
  level: 'info' | 'warn' | 'error' | 'success';
  message: string;
}

/** NewProfileDraft is a profile being created from a preset, not saved yet. */
export interface NewProfileDraft {
  preset: Preset | null;
  profile: Profile | null;
  error: string;
}

/**
 * ForeignPrompt is a sign-in Go stopped before anything was sent because
 * endpoint overrides leave the issuer for origins the user has not
 * confirmed; it waits for the user's yes (trust, sign in again) or no.
 */
export interface ForeignPrompt {
  profileId: string;
  origins: string[];
  asAnother: boolean;
}

/** RequestState is one profile's request console: the draft and the last response. */
export interface RequestState {
  spec: RequestSpec;
  response: Response | null;
  inFlight: string;
  error: string;
}

let toastSeq = 0;

/** emptyToken is a token slot with no token in it. */
function emptyToken(): Token {
  return { present: false, kind: '', masked: '', header: [], claims: [], rawHeader: '', rawClaims: '', expiresAt: '', issuedAt: '' };
}

/**
 * emptySession is the session shown before Go answered. It is typed against
 * the generated view.Session, so a field Go adds or drops fails `npm run
 * check` here.
 */
export function emptySession(profileId: string): Session {
  return {
    profileId,
    status: 'signed_out',
    attempt: 0,
    subject: '',
    displayName: '',
    email: '',
    expiresAt: '',
    scopes: [],
    tokenType: '',
    accessToken: emptyToken(),
    idToken: emptyToken(),
    refreshToken: emptyToken(),
    userInfo: '',
    checks: [],
    refreshes: 0,
    rotations: 0,
    ignoredCallbacks: 0,
    restored: false,
    capabilities: { refresh: false, revoke: false, introspect: false, userinfo: false, logout: false },
    grant: '',
    device: null,
    handoff: null,
    issuedTokenType: '',
    exchangedFrom: '',
  };
}

/**
 * attemptOf is the sign-in attempt Go numbered a trace event or session
 * with (each sign-in or restore of a profile counts up from 1); 0 when
 * there is none (before the first, or from a sender that does not number).
 */
export function attemptOf(x: Pick<TraceEvent | Session, 'attempt'> | undefined): number {
  const a = x?.attempt;
  return typeof a === 'number' && Number.isFinite(a) ? a : 0;
}

/**
 * mergeTrace adds one event to a timeline, which holds one attempt's
 * events: an event of a newer attempt starts a new timeline, a late event
 * of an older attempt is dropped (the list comes back unchanged), and
 * within the attempt the same seq replaces, otherwise the event is
 * inserted in seq order.
 */
export function mergeTrace(list: TraceEvent[], ev: TraceEvent): TraceEvent[] {
  if (list.length === 0 || attemptOf(ev) > attemptOf(list[0])) return [ev];
  if (attemptOf(ev) < attemptOf(list[0])) return list;
  const out = list.filter((e) => e.seq !== ev.seq);
  out.push(ev);
  out.sort((a, b) => a.seq - b.seq);
  return out;
}

/**
 * Desk holds the UI state. Every field is reactive ($state); Go's events
 * keep sessions, traces and the profile list current. `now` ticks once a
 * second only while a countdown or relative time is on screen (Clock).
 */
export class Desk {
  profiles = $state<Profile[]>([]);
  selectedId = $state('');
  sessions = $state<Record<string, Session>>({});
  traces = $state<Record<string, TraceEvent[]>>({});
  requests = $state<Record<string, RequestState>>({});
  settings = $state<Settings>({ presentationMode: false, theme: 'system' } as Settings);
  info = $state<AppInfo | null>(null);
  toasts = $state<Toast[]>([]);
  tab = $state<TabId>('flow');
  creating = $state<NewProfileDraft | null>(null);
  loadError = $state('');
  /**
   * loading is true until the profile list has arrived: the shell paints at
   * once from the settings, and the sidebar says "Loading profiles…" (never
   * an empty list or a wrong status) until Go has read the store.
   */
  loading = $state(true);
  /** Per-profile error from the last header action (sign in, sign out…). */
  actionErrors = $state<Record<string, string>>({});
  /** The stopped sign-in asking to confirm endpoint origins, if any. */
  foreignPrompt = $state<ForeignPrompt | null>(null);
  /**
   * exchanged maps the transient profile of each token exchange (RFC 8693)
   * this run to the profile it was exchanged from, with the profile as Go
   * returned it: the sidebar lists it under its source even when Go's
   * profile list leaves transient profiles out.
   */
  exchanged = $state<Record<string, { from: string; profile: Profile }>>({});

  private offs: (() => void)[] = [];
  /**
   * attempts is, per profile, the newest attempt Go has told of (a session
   * or a trace event): events of older attempts that arrive late are dropped.
   */
  private attempts: Record<string, number> = {};
  /** clock backs `now`; it runs a timer only while something shown reads `now`. */
  readonly clock = new Clock();

  /** now is the current time in ms, reactive while read by what is shown. */
  get now(): number {
    return this.clock.now;
  }

  set now(ms: number) {
    this.clock.now = ms;
  }

  get selected(): Profile | undefined {
    return this.profiles.find((p) => p.id === this.selectedId);
  }

  get session(): Session {
    return this.sessions[this.selectedId] ?? emptySession(this.selectedId);
  }

  get trace(): TraceEvent[] {
    return this.traces[this.selectedId] ?? [];
  }

  get presentation(): boolean {
    return !!this.settings.presentationMode;
  }

  /** init loads everything and subscribes to Go's events; call once at start. */
  async init(): Promise<void> {
    this.offs.push(
      onTrace((u) => this.applyTrace(u)),
      onSession((s) => this.applySession(s)),
      onNotice((n) => this.toast((n.level as Toast['level']) || 'info', n.message)),
      onProfiles(() => void this.reloadProfiles()),
      onInfo(() => void this.reloadInfo()),
    );
    try {
      // Settings never wait on the Go side: theme first, so the first frame
      // has the user's colours. Info (notices, keychain) fills in by itself.
      this.settings = await api.settings();
      this.applyTheme();
      void this.reloadInfo();
      this.profiles = this.withExchanged(await api.profiles());
      let id = '';
      try {
        id = await api.selectedProfile();
      } catch {
        /* first run: nothing remembered */
      }
      if (!this.profiles.some((p) => p.id === id)) id = this.profiles[0]?.id ?? '';
      this.loading = false;
      if (id) await this.select(id, false);
    } catch (err) {
      this.loadError = `Could not load your profiles: ${errorText(err)}. Restart PKCE Desk; if it keeps happening, check the log.`;
    } finally {
      this.loading = false;
    }
  }

  /** reloadInfo asks Go for the About facts again (start-up notices, the keychain). */
  async reloadInfo(): Promise<void> {
    try {
      this.info = await api.info();
    } catch {
      /* About shows what it had */
    }
  }

  /** dispose removes the event handlers and forgets the attempts they told of (tests). */
  dispose(): void {
    this.offs.forEach((off) => off());
    this.offs = [];
    this.attempts = {};
  }

  /** withExchanged adds this run's exchanged-token profiles Go's list does not hold, keeping their status. */
  private withExchanged(list: Profile[]): Profile[] {
    const out = [...list];
    for (const [id, x] of Object.entries(this.exchanged)) {
      if (out.some((p) => p.id === id)) continue;
      const old = this.profiles.find((p) => p.id === id);
      out.push({ ...x.profile, status: old?.status ?? this.sessions[id]?.status ?? x.profile.status });
    }
    return out;
  }

  /** exchangedFrom is the profile a profile's token was exchanged from, or "". */
  exchangedFrom(id: string): string {
    return this.exchanged[id]?.from || this.sessions[id]?.exchangedFrom || '';
  }

  /**
   * exchangeToken trades the selected session's token for another (RFC 8693)
   * and opens the result, its own session under a new profile, in the
   * Tokens tab. It rejects with Go's reason when the provider refuses.
   */
  async exchangeToken(req: ExchangeRequest): Promise<Profile> {
    const id = this.selectedId;
    const p = await api.exchangeToken(id, req);
    // Go hangs an exchange of an exchanged session off the same stored profile.
    const from = this.sessions[id]?.exchangedFrom || this.exchanged[id]?.from || id;
    this.exchanged[p.id] = { from, profile: p };
    await this.reloadProfiles();
    // Transient: not remembered as the profile to open at the next launch.
    this.tab = 'tokens';
    await this.select(p.id, false);
    this.toast('success', `Exchanged the token: “${p.name}” holds the new one.`);
    return p;
  }

  async reloadProfiles(): Promise<void> {
    try {
      this.profiles = this.withExchanged(await api.profiles());
    } catch (err) {
      this.toast('error', `Could not reload profiles: ${errorText(err)}`);
    }
  }

  /** select shows a profile and loads its session and last trace. */
  async select(id: string, remember = true): Promise<void> {
    this.creating = null;
    this.selectedId = id;
    if (remember) api.selectProfile(id).catch(() => {});
    await Promise.all([this.loadSession(id), this.loadTrace(id)]);
  }

  async loadSession(id: string): Promise<void> {
    try {
      this.applySession(await api.session(id));
    } catch (err) {
      // Keep an earlier, more specific error (from sign-in etc.) if there is one.
      if (!this.actionErrors[id]) this.actionErrors[id] = `Could not load the session: ${errorText(err)}`;
    }
  }

  async loadTrace(id: string): Promise<void> {
    let events: TraceEvent[] = [];
    try {
      events = await api.trace(id);
    } catch {
      /* keep what the live events told */
    }
    // Go's answer is taken like the events it holds arriving now: live
    // events of a newer attempt that came in meanwhile are not undone.
    if (!this.traces[id]) this.traces[id] = [];
    for (const ev of events) this.applyTrace({ profileId: id, event: ev });
  }

  /** noteAttempt records that Go has started `attempt` for the profile. */
  private noteAttempt(id: string, attempt: number): void {
    if (attempt > (this.attempts[id] ?? 0)) this.attempts[id] = attempt;
  }

  applySession(s: Session): void {
    if (!s || !s.profileId) return;
    const id = s.profileId;
    this.sessions[id] = s;
    const p = this.profiles.find((x) => x.id === id);
    if (p) p.status = s.status;
    // A newer attempt has begun: the timeline of the old one is over.
    const a = attemptOf(s);
    if (a > (this.attempts[id] ?? 0)) {
      this.attempts[id] = a;
      const list = this.traces[id];
      if (list?.length && attemptOf(list[0]) < a) this.traces[id] = [];
    }
  }

  applyTrace(u: TraceUpdate): void {
    const id = u.profileId;
    const a = attemptOf(u.event);
    if (a < (this.attempts[id] ?? 0)) return; // a late event of an attempt already replaced
    this.noteAttempt(id, a);
    this.traces[id] = mergeTrace(this.traces[id] ?? [], u.event);
  }

  toast(level: Toast['level'], message: string): void {
    if (!message) return;
    const id = ++toastSeq;
    this.toasts.push({ id, level, message });
    // Confirmations go quickly so they do not sit on the content; info stays
    // long enough to read.
    if (level === 'success') setTimeout(() => this.dismiss(id), 2500);
    else if (level === 'info') setTimeout(() => this.dismiss(id), 6000);
  }

  dismiss(id: number): void {
    this.toasts = this.toasts.filter((t) => t.id !== id);
  }

  async saveSettings(next: Partial<Settings>): Promise<void> {
    const prev = this.settings;
    this.settings = { ...this.settings, ...next } as Settings;
    this.applyTheme();
    try {
      await api.saveSettings(this.settings);
    } catch (err) {
      this.settings = prev;
      this.applyTheme();
      this.toast('error', `Could not save the setting: ${errorText(err)}`);
    }
  }

  applyTheme(): void {
    const t = this.settings.theme;
    if (t === 'light' || t === 'dark') document.documentElement.dataset.theme = t;
    else delete document.documentElement.dataset.theme;
  }

  /** signIn starts a sign-in for the selected profile; the trace streams in meanwhile. */
  async signIn(asAnother = false): Promise<void> {
    const id = this.selectedId;
    if (!id) return;
    this.actionErrors[id] = '';
    this.traces[id] = [];
    this.tab = 'flow';
    try {
      const s = asAnother ? await api.signInAsAnotherUser(id) : await api.signIn(id);
      this.applySession(s);
      if (s.status === 'error' && s.error?.kind === 'foreign_endpoints' && s.error.origins.length) {
        this.foreignPrompt = { profileId: id, origins: [...s.error.origins], asAnother };
      }
    } catch (err) {
      this.actionErrors[id] = errorText(err);
    }
    await this.loadSession(id);
  }

  /** reviewForeign asks again about the origins the selected profile's last sign-in stopped at. */
  reviewForeign(): void {
    const e = this.session.error;
    if (e?.kind === 'foreign_endpoints' && e.origins?.length) {
      this.foreignPrompt = { profileId: this.selectedId, origins: [...e.origins], asAnother: false };
    }
  }

  /** declineForeign closes the question; nothing is trusted, nothing is sent. */
  declineForeign(): void {
    this.foreignPrompt = null;
  }

  /** trustForeign confirms the prompt's origins for its profile, then signs in again. */
  async trustForeign(): Promise<void> {
    const pr = this.foreignPrompt;
    if (!pr) return;
    this.foreignPrompt = null;
    try {
      const p = await api.trustEndpointOrigins(pr.profileId, pr.origins);
      const i = this.profiles.findIndex((x) => x.id === p.id);
      if (i >= 0) this.profiles[i] = { ...p, status: this.profiles[i].status };
    } catch (err) {
      this.toast('error', `Did not sign in: could not confirm ${pr.origins.join(', ')} (${errorText(err)}).`);
      return;
    }
    if (this.selectedId === pr.profileId) await this.signIn(pr.asAnother);
  }

  async cancelSignIn(): Promise<void> {
    const id = this.selectedId;
    try {
      await api.cancelSignIn(id);
    } catch (err) {
      this.actionErrors[id] = errorText(err);
    }
  }

  async signOut(): Promise<void> {
    const id = this.selectedId;
    this.actionErrors[id] = '';
    try {
      const r = await api.signOut(id);
      if (r?.message) this.toast('info', r.message);
    } catch (err) {
      this.actionErrors[id] = errorText(err);
    }
    await this.loadSession(id);
  }

  /** startNew opens the preset picker for a new profile. */
  startNew(): void {
    this.creating = { preset: null, profile: null, error: '' };
  }
}

/** desk is the app's single state instance. */
export const desk = new Desk();

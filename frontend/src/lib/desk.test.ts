import { afterEach, describe, expect, it, vi } from 'vitest';
import { attemptOf, Desk, mergeTrace } from './desk.svelte';
import { installBridge, removeBridge } from '../test/bridge';
import { event, profile, session } from '../test/fixtures';
import { Events } from './events';
import type { Session, TraceEvent } from './api';

afterEach(removeBridge);

// at is trace event `seq` of sign-in attempt `attempt`, as Go numbers them.
const at = (attempt: number, seq: number, over: Partial<TraceEvent> = {}): TraceEvent => event(seq, { ...over, attempt });
const withAttempt = (s: Session, attempt: number): Session => ({ ...s, attempt });

describe('mergeTrace', () => {
  it('keeps seq order and replaces an event with the same seq', () => {
    let l = mergeTrace([], event(0, { title: 'a' }));
    l = mergeTrace(l, event(2, { title: 'c' }));
    l = mergeTrace(l, event(1, { title: 'b' }));
    l = mergeTrace(l, event(1, { title: 'b2' }));
    expect(l.map((e) => e.title)).toEqual(['a', 'b2', 'c']);
  });
  it("starts a new timeline with a newer attempt's event, whatever its seq or time", () => {
    const l = [at(1, 0), at(1, 1), at(1, 2)];
    const next = mergeTrace(l, at(2, 1, { title: 'new', time: l[0].time }));
    expect(next.map((e) => [attemptOf(e), e.seq, e.title])).toEqual([[2, 1, 'new']]);
  });

  it("drops an older attempt's late event, even one with a seq the timeline lacks", () => {
    const l = [at(2, 0), at(2, 1)];
    expect(mergeTrace(l, at(1, 5, { title: 'late' }))).toBe(l);
    expect(mergeTrace(l, at(1, 0, { title: 'late', time: '2099-01-01T00:00:00.000Z' }))).toBe(l);
  });

  it('reads a missing attempt as 0 and merges by seq within it, whatever the times', () => {
    const unnumbered = (seq: number, title: string, time: string) => ({ ...event(seq, { title, time }), attempt: undefined }) as unknown as TraceEvent;
    let l = mergeTrace([], unnumbered(0, 'a', '2026-11-25T13:00:00.000Z'));
    l = mergeTrace(l, unnumbered(0, 'a2', '2099-01-01T00:00:00.000Z'));
    expect(l.map((e) => e.title)).toEqual(['a2']);
    expect(mergeTrace(l, at(1, 0, { title: 'numbered' })).map((e) => e.title)).toEqual(['numbered']);
  });
});

describe('Desk and attempts', () => {
  it('replaces the trace on a newer attempt and drops the old one\'s late events', async () => {
    const b = installBridge({ Profiles: () => [profile()], SelectedProfile: () => 'p1' });
    const d = new Desk();
    await d.init();
    b.emit(Events.trace, { profileId: 'p1', event: at(1, 0, { title: 'old 0' }) });
    b.emit(Events.trace, { profileId: 'p1', event: at(1, 1, { title: 'old 1' }) });
    expect(d.trace.map((e) => e.title)).toEqual(['old 0', 'old 1']);
    b.emit(Events.trace, { profileId: 'p1', event: at(2, 0, { title: 'new 0' }) });
    b.emit(Events.trace, { profileId: 'p1', event: at(1, 2, { title: 'old 2, late' }) });
    b.emit(Events.trace, { profileId: 'p1', event: at(2, 1, { title: 'new 1' }) });
    expect(d.trace.map((e) => e.title)).toEqual(['new 0', 'new 1']);
    d.dispose();
  });

  it("clears the timeline when Go's session says a new attempt began, before its first event", async () => {
    const b = installBridge({ Profiles: () => [profile()], SelectedProfile: () => 'p1' });
    const d = new Desk();
    await d.init();
    b.emit(Events.session, withAttempt(session('signed_in'), 1));
    b.emit(Events.trace, { profileId: 'p1', event: at(1, 0, { title: 'old 0' }) });
    expect(d.trace).toHaveLength(1);
    b.emit(Events.session, withAttempt(session('waiting'), 2));
    expect(d.trace).toEqual([]);
    b.emit(Events.trace, { profileId: 'p1', event: at(1, 1, { title: 'old 1, late' }) });
    expect(d.trace).toEqual([]);
    b.emit(Events.trace, { profileId: 'p1', event: at(2, 0, { title: 'new 0' }) });
    expect(d.trace.map((e) => e.title)).toEqual(['new 0']);
    d.dispose();
  });

  it("keeps live events of a newer attempt over Go's slower answer to Trace", async () => {
    let answer!: (es: unknown) => void;
    const b = installBridge({
      Profiles: () => [profile()],
      SelectedProfile: () => 'p1',
      Trace: () => new Promise((r) => (answer = r)),
    });
    const d = new Desk();
    const started = d.init();
    await vi.waitFor(() => expect(answer).toBeTypeOf('function'));
    b.emit(Events.trace, { profileId: 'p1', event: at(3, 0, { title: 'live' }) });
    answer([at(2, 0, { title: 'stale 0' }), at(2, 1, { title: 'stale 1' })]);
    await started;
    expect(d.trace.map((e) => e.title)).toEqual(['live']);
    d.dispose();
  });
});

describe('Desk', () => {
  it('loads profiles, selects the remembered one and follows Go events', async () => {
    const b = installBridge({
      Info: () => ({ name: 'PKCE Desk', version: '1.0', notices: null }),
      Profiles: () => [profile({ id: 'a' }), profile({ id: 'b', name: 'B' })],
      SelectedProfile: () => 'b',
      Session: (id: string) => ({ ...session('signed_out'), profileId: id }),
    });
    const d = new Desk();
    await d.init();
    expect(d.selectedId).toBe('b');
    expect(d.info?.version).toBe('1.0');
    b.emit(Events.session, { ...session('signed_in'), profileId: 'b' });
    expect(d.session.status).toBe('signed_in');
    expect(d.profiles.find((p) => p.id === 'b')?.status).toBe('signed_in');
    b.emit(Events.notice, { level: 'warn', message: 'No keychain.' });
    expect(d.toasts.map((t) => t.message)).toEqual(['No keychain.']);
    b.emit(Events.trace, { profileId: 'b', event: event(0) });
    expect(d.trace).toHaveLength(1);
    d.dispose();
  });

  it('starts no timer at start-up: the clock waits for a countdown on screen', async () => {
    installBridge({ Profiles: () => [profile({ id: 'a' })], SelectedProfile: () => 'a' });
    const d = new Desk();
    await d.init();
    expect(d.clock.running).toBe(false);
    expect(d.now).toBeLessThanOrEqual(Date.now());
    d.dispose();
  });

  it('falls back to the first profile when the remembered one is gone', async () => {
    installBridge({ Profiles: () => [profile({ id: 'a' })], SelectedProfile: () => 'deleted' });
    const d = new Desk();
    await d.init();
    expect(d.selectedId).toBe('a');
    d.dispose();
  });

  it('says what went wrong when the profiles cannot load', async () => {
    installBridge({ Profiles: () => Promise.reject('config dir unreadable') });
    const d = new Desk();
    await d.init();
    expect(d.loadError).toContain('config dir unreadable');
    expect(d.loading).toBe(false);
    d.dispose();
  });

  it('paints with the settings while the profiles are still loading, and says it is loading', async () => {
    let release: (ps: unknown) => void = () => {};
    const profilesLater = new Promise((r) => (release = r));
    let infoCalls = 0;
    installBridge({
      Settings: () => ({ presentationMode: true, theme: 'dark' }),
      Profiles: () => profilesLater,
      Info: () => {
        infoCalls++;
        return new Promise(() => {}); // the keychain probe has not answered
      },
    });
    const d = new Desk();
    const started = d.init();
    await vi.waitFor(() => expect(d.settings.theme).toBe('dark'));
    expect(d.presentation).toBe(true);
    expect(d.loading).toBe(true);
    expect(d.profiles).toEqual([]);
    expect(infoCalls).toBe(1);
    release([profile({ id: 'a' })]);
    await started;
    expect(d.loading).toBe(false);
    expect(d.selectedId).toBe('a');
    d.dispose();
  });
});

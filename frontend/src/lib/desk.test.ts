import { afterEach, describe, expect, it } from 'vitest';
import { Desk, mergeTrace } from './desk.svelte';
import { installBridge, removeBridge } from '../test/bridge';
import { event, profile, session } from '../test/fixtures';
import { Events } from './events';

afterEach(removeBridge);

describe('mergeTrace', () => {
  it('keeps seq order and replaces an event with the same seq', () => {
    let l = mergeTrace([], event(0, { title: 'a' }));
    l = mergeTrace(l, event(2, { title: 'c' }));
    l = mergeTrace(l, event(1, { title: 'b' }));
    l = mergeTrace(l, event(1, { title: 'b2' }));
    expect(l.map((e) => e.title)).toEqual(['a', 'b2', 'c']);
  });
  it('starts a new timeline when a new attempt sends seq 0', () => {
    const l = [event(0, { time: 't1' }), event(1, { time: 't1' })];
    expect(mergeTrace(l, event(0, { time: 't1', title: 'same' }))).toHaveLength(2);
    expect(mergeTrace(l, event(0, { time: 't2', title: 'new' })).map((e) => e.title)).toEqual(['new']);
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
    installBridge({ Info: () => Promise.reject('config dir unreadable') });
    const d = new Desk();
    await d.init();
    expect(d.loadError).toContain('config dir unreadable');
    d.dispose();
  });
});

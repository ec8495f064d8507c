// The foreign-endpoint story in the UI: the Flow tab's banner, the dialog
// after a sign-in Go stopped (kind "foreign_endpoints"), Cancel changing
// nothing, and "Trust and sign in" confirming the hosts, then signing in.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import { tick } from 'svelte';
import FlowTab from './FlowTab.svelte';
import Header from './Header.svelte';
import ForeignEndpointsDialog from './ForeignEndpointsDialog.svelte';
import { desk } from '../lib/desk.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import type { Profile } from '../lib/api';

const PROXY = 'https://proxy.evil.test';
const KEYS = 'http://127.0.0.1:9999';

const acme = (over: Partial<Profile> = {}) =>
  profile({
    issuer: 'https://accounts.google.com',
    foreignEndpoints: [
      { name: 'token endpoint', url: `${PROXY}/token`, origin: PROXY },
      { name: 'userinfo endpoint', url: `${PROXY}/me`, origin: PROXY },
      { name: 'JWKS URL', url: `${KEYS}/jwks`, origin: KEYS },
    ],
    trustedOrigins: [KEYS],
    ...over,
  });

const stopped = () =>
  session('error', {
    error: { message: 'the profile sends requests outside the issuer https://accounts.google.com', code: '', description: '', kind: 'foreign_endpoints', origins: [PROXY] },
  });

let b: FakeBridge;
let trusted: string[];
let signIns: number;
beforeEach(() => {
  trusted = [KEYS];
  signIns = 0;
  b = installBridge({
    SignIn: () => (++signIns === 1 || !trusted.includes(PROXY) ? stopped() : session('waiting')),
    Session: () => (trusted.includes(PROXY) ? session('waiting') : stopped()),
    TrustEndpointOrigins: (_id: string, origins: string[]) => {
      trusted.push(...origins);
      return acme({ trustedOrigins: [...trusted] });
    },
  });
  resetDesk([acme()]);
});
afterEach(removeBridge);

describe('Flow tab banner', () => {
  it('lists each endpoint → origin, confirmed or not, in words', () => {
    render(FlowTab);
    const banner = screen.getByTestId('foreign-banner');
    expect(banner.textContent).toContain('Endpoints outside the issuer');
    expect(banner.textContent).toContain('https://accounts.google.com');
    const items = screen.getAllByTestId('foreign-item');
    expect(items.map((i) => [i.dataset.origin, i.dataset.trusted])).toEqual([
      [PROXY, 'false'],
      [PROXY, 'false'],
      [KEYS, 'true'],
    ]);
    expect(items[0].textContent).toContain('token endpoint');
    expect(items[0].textContent).toContain('not confirmed');
    expect(items[2].textContent).toContain('✓ confirmed by you');
  });

  it('is not there for a profile whose endpoints stay at the issuer', () => {
    resetDesk([profile()]);
    render(FlowTab);
    expect(screen.queryByTestId('foreign-banner')).toBeNull();
  });

  it('shows a hostile endpoint name and URL as text', () => {
    resetDesk([acme({ foreignEndpoints: [{ name: XSS, url: 'https://x.test/' + XSS, origin: 'https://x.test' }] })]);
    render(FlowTab);
    expect(screen.getByTestId('foreign-banner').textContent).toContain(XSS);
    expect(screen.getByTestId('foreign-banner').querySelector('img')).toBeNull();
  });
});

describe('Confirming endpoint origins', () => {
  it('asks after the stopped sign-in, naming each host, what it gets, with focus on Cancel', async () => {
    render(ForeignEndpointsDialog);
    await desk.signIn();
    await tick();
    const dialog = screen.getByTestId('confirm-dialog');
    const hosts = screen.getAllByTestId('foreign-dialog-host');
    expect(hosts.map((h) => h.dataset.origin)).toEqual([PROXY]);
    expect(hosts[0].textContent).toContain('token endpoint, userinfo endpoint');
    const words = dialog.textContent!.replace(/\s+/g, ' ');
    expect(words).toContain('the authorization code, the PKCE verifier, any client secret and your tokens');
    expect(words).toContain('JWKS URL');
    expect(dialog.textContent).toContain('stopped before anything was sent');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
    expect(screen.getByTestId('confirm-ok').textContent).toBe('Trust and sign in');
  });

  it('Cancel trusts nothing and signs in no further', async () => {
    render(ForeignEndpointsDialog);
    await desk.signIn();
    await tick();
    await fireEvent.click(screen.getByTestId('confirm-cancel'));
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(desk.foreignPrompt).toBeNull();
    expect(b.callsTo('TrustEndpointOrigins')).toEqual([]);
    expect(b.callsTo('SignIn')).toHaveLength(1);
    expect(desk.selected?.trustedOrigins).toEqual([KEYS]);
    expect(desk.session.status).toBe('error');
  });

  it('Escape is Cancel too', async () => {
    render(ForeignEndpointsDialog);
    await desk.signIn();
    await tick();
    await fireEvent.keyDown(screen.getByTestId('confirm-dialog'), { key: 'Escape' });
    await waitFor(() => expect(screen.queryByTestId('confirm-dialog')).toBeNull());
    expect(desk.foreignPrompt).toBeNull();
    expect(b.callsTo('TrustEndpointOrigins')).toEqual([]);
  });

  it('"Trust and sign in" confirms exactly the named origins, then signs in again', async () => {
    render(ForeignEndpointsDialog);
    await desk.signIn();
    await tick();
    await fireEvent.click(screen.getByTestId('confirm-ok'));
    // Done when the second sign-in's session is in.
    await waitFor(() => expect(desk.session.status).toBe('waiting'));
    expect(b.callsTo('TrustEndpointOrigins')).toEqual([['p1', [PROXY]]]);
    expect(b.calls.map((c) => c.method).filter((m) => m === 'TrustEndpointOrigins' || m === 'SignIn')).toEqual(['SignIn', 'TrustEndpointOrigins', 'SignIn']);
    expect(desk.selected?.trustedOrigins).toEqual([KEYS, PROXY]);
    expect(desk.session.status).toBe('waiting');
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  });

  it('says so when Go refuses to confirm, and does not sign in', async () => {
    b = installBridge({ SignIn: () => stopped(), Session: () => stopped(), TrustEndpointOrigins: () => Promise.reject('the profile changed; look again') });
    render(ForeignEndpointsDialog);
    await desk.signIn();
    await tick();
    await fireEvent.click(screen.getByTestId('confirm-ok'));
    await waitFor(() => expect(desk.toasts.at(-1)?.message).toContain('the profile changed; look again'));
    expect(b.callsTo('SignIn')).toHaveLength(1);
  });

  it('the header offers to look again after Cancel', async () => {
    resetDesk([acme()], stopped());
    render(Header);
    render(ForeignEndpointsDialog);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    await fireEvent.click(screen.getByTestId('foreign-review-button'));
    expect(screen.getAllByTestId('foreign-dialog-host').map((h) => h.dataset.origin)).toEqual([PROXY]);
  });

  it('asks only on the profile whose sign-in stopped', async () => {
    resetDesk([acme(), profile({ id: 'p2', name: 'Other' })]);
    render(ForeignEndpointsDialog);
    await desk.signIn();
    desk.selectedId = 'p2';
    await tick();
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TokensTab from './TokensTab.svelte';
import { desk } from '../lib/desk.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { jwt, profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import { flushSync, tick } from 'svelte';

const REAL = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.sig-Xk9w';
let b: FakeBridge;
// The wall clock is pinned (only Date is faked: timers stay real, so the
// UI's own 1 s tick still runs and reads the pinned time). Nothing here
// depends on how long the run takes.
const T0 = Date.parse('2026-11-25T13:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const exp = at(4 * 60_000 + 30_000);

function signedIn() {
  return session('signed_in', {
    expiresAt: exp,
    scopes: ['openid', 'email'],
    accessToken: jwt([{ name: 'exp', value: '1', time: exp, meaning: 'expires' }, { name: 'note', value: XSS }]),
    idToken: jwt([{ name: 'sub', value: 'alice' }]),
    refreshToken: { present: true, kind: 'opaque', masked: 'rt_8Z…Q2mL', header: [], claims: [], rawHeader: '', rawClaims: '', expiresAt: '', issuedAt: '' },
    rotations: 2,
    checks: [{ name: 'aud', ok: true, detail: '', why: '' }],
    capabilities: { refresh: true, revoke: true, introspect: true, userinfo: false, logout: false },
  } as never);
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  b = installBridge({ RevealToken: () => REAL, Introspect: () => '{"active":true}', Refresh: () => signedIn() });
  resetDesk([profile()], signedIn());
});
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

describe('Tokens tab', () => {
  it('invites a sign-in when there are no tokens', () => {
    resetDesk([profile()], session('signed_out'));
    render(TokensTab);
    expect(screen.getByTestId('tokens-empty').textContent).toBe('Sign in to see your tokens.');
  });

  it('shows masked cards, decoded claims as text, scopes and rotations', () => {
    const { container } = render(TokensTab);
    for (const k of ['access', 'id', 'refresh']) expect(screen.getByTestId(`token-card-${k}`)).toBeTruthy();
    expect(screen.getByTestId('token-value-access').textContent).toBe('eyJhbG…Xk9w');
    expect(container.textContent).not.toContain(REAL);
    const claims = screen.getAllByTestId('claims-table')[0];
    expect(claims.textContent).toContain(XSS);
    expect(claims.textContent).toContain('in 4 min');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('token-card-access').textContent).toContain('email');
    expect(screen.getByTestId('token-card-refresh').textContent).toContain('Rotated 2 times');
    expect(screen.getByTestId('verified-badge').textContent).toContain('Verified');
  });

  it('reveals and copies through RevealToken only on click', async () => {
    render(TokensTab);
    expect(b.callsTo('RevealToken')).toEqual([]);
    await fireEvent.click(screen.getByTestId('reveal-access'));
    expect(await screen.findByText(REAL)).toBeTruthy();
    await fireEvent.click(screen.getByTestId('copy-refresh'));
    await waitFor(() => expect(b.clipboard).toEqual([REAL]));
    expect(b.callsTo('RevealToken')).toEqual([['p1', 'access'], ['p1', 'refresh']]);
  });

  it('keeps tokens masked in presentation mode', () => {
    desk.settings = { presentationMode: true, theme: 'system' } as typeof desk.settings;
    render(TokensTab);
    expect(screen.queryByTestId('reveal-access')).toBeNull();
    expect(screen.queryByTestId('copy-access')).toBeNull();
    expect(screen.getByTestId('token-value-access').textContent).toBe('eyJhbG…Xk9w');
  });

  it('forgets a reveal when presentation mode comes on, so turning it off shows nothing', async () => {
    render(TokensTab);
    await fireEvent.click(screen.getByTestId('reveal-access'));
    expect(await screen.findByText(REAL)).toBeTruthy();
    desk.settings = { presentationMode: true, theme: 'system' } as typeof desk.settings;
    // The card has taken presentation mode in: its controls are gone.
    await waitFor(() => expect(screen.queryByTestId('reveal-access')).toBeNull());
    expect(screen.getByTestId('token-value-access').textContent).toBe('eyJhbG…Xk9w');
    desk.settings = { presentationMode: false, theme: 'system' } as typeof desk.settings;
    // And taken it back: Reveal is offered again, and nothing is revealed.
    await screen.findByTestId('reveal-access');
    expect(screen.getByTestId('token-value-access').textContent).toBe('eyJhbG…Xk9w');
    expect(screen.queryByText(REAL)).toBeNull();
  });

  it('refreshes, introspects and asks before revoking', async () => {
    render(TokensTab);
    await fireEvent.click(screen.getByTestId('refresh-button'));
    expect(b.callsTo('Refresh')).toEqual([['p1']]);
    await fireEvent.click(screen.getByTestId('introspect-button'));
    expect((await screen.findByTestId('introspection-json')).textContent).toContain('"active"');
    await fireEvent.click(screen.getByTestId('revoke-button'));
    const ok = screen.getByTestId('confirm-ok'); // it asks first…
    expect(b.callsTo('Revoke')).toEqual([]); // …and has sent nothing
    await fireEvent.click(ok);
    expect(b.callsTo('Revoke')).toEqual([['p1', 'access']]);
  });

  it("fills the time-left bar against an opaque token's real lifetime", () => {
    const exp5 = at(5 * 60_000);
    resetDesk([profile()], session('signed_in', {
      expiresAt: exp5,
      accessToken: { present: true, kind: 'opaque', masked: 'op_aq…ue01', header: [], claims: [], rawHeader: '', rawClaims: '', expiresAt: exp5, issuedAt: '' },
      capabilities: { refresh: false, revoke: false, introspect: false, userinfo: false, logout: false },
    } as never));
    render(TokensTab);
    const bar = screen.getByTestId('token-card-access').querySelector('[role=progressbar]')!;
    expect(bar.getAttribute('aria-valuenow')).toBe('100');
    expect(screen.getByTestId('token-card-access').textContent).toContain('opaque');
    expect(screen.getByTestId('token-countdown').textContent).toBe('5:00');
    desk.now = T0 + 150_000; // half of the five minutes gone
    flushSync();
    expect(bar.getAttribute('aria-valuenow')).toBe('50');
    expect(screen.getByTestId('token-countdown').textContent).toBe('2:30');
  });

  it("renders a claim's time live from Go's time, and the clock stops when the table goes", async () => {
    const view = render(TokensTab);
    const claims = () => screen.getAllByTestId('claims-table')[0].textContent;
    expect(claims()).toContain('in 4 min');
    expect(desk.clock.running).toBe(true);
    vi.setSystemTime(T0 + 2 * 60_000);
    // The next tick of the real 1 s clock reads the new time.
    await waitFor(() => expect(claims()).toContain('in 2 min'), { timeout: 3000 });
    view.unmount();
    await tick();
    expect(desk.clock.running).toBe(false);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import Header from './Header.svelte';
import { installBridge, removeBridge } from '../test/bridge';
import { profile, session } from '../test/fixtures';
import { resetDesk } from '../test/reset';

beforeEach(() => installBridge());
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

// pin fixes the wall clock (only Date is faked; timers stay real, so the
// header's own tick runs and reads the pinned time): a countdown cannot drift.
const pin = (): number => {
  vi.useFakeTimers({ toFake: ['Date'] });
  const now = Date.parse('2026-11-25T13:00:00Z');
  vi.setSystemTime(now);
  return now;
};

const show = (status: string, over = {}) => {
  resetDesk([profile()], session(status, over));
  return render(Header);
};

describe('Header per status', () => {
  it('signed out: offers Sign in only', () => {
    show('signed_out');
    expect(screen.getByTestId('status-text').textContent).toContain('Signed out');
    expect(screen.getByTestId('signin-button')).toBeTruthy();
    expect(screen.queryByTestId('cancel-button')).toBeNull();
    expect(screen.queryByTestId('signout-button')).toBeNull();
  });

  it('waiting: says so and offers Cancel, which calls CancelSignIn', async () => {
    const b = installBridge();
    show('waiting');
    expect(screen.getByTestId('status-text').textContent).toContain('Waiting for you in the browser');
    expect(screen.queryByTestId('signin-button')).toBeNull();
    await fireEvent.click(screen.getByTestId('cancel-button'));
    expect(b.callsTo('CancelSignIn')).toEqual([['p1']]);
  });

  it('exchanging: busy, Cancel offered', () => {
    show('exchanging');
    expect(screen.getByTestId('status-text').textContent).toContain('Exchanging the code');
    expect(screen.getByTestId('cancel-button')).toBeTruthy();
  });

  it('restoring a kept session at launch: says so, never "Signed out", and offers nothing to click yet', () => {
    show('restoring');
    const st = screen.getByTestId('status-text');
    expect(st.textContent).toContain('Restoring your kept session');
    expect(st.textContent).not.toContain('Signed out');
    expect(screen.queryByTestId('signin-button')).toBeNull();
    expect(screen.queryByTestId('cancel-button')).toBeNull();
    expect(screen.queryByTestId('signout-button')).toBeNull();
  });

  it('signed in: who, the countdown, Sign out and the menu', async () => {
    const now = pin();
    show('signed_in', { displayName: 'Alice', expiresAt: new Date(now + 252_500).toISOString() });
    const st = screen.getByTestId('status-text');
    expect(st.textContent).toContain('Signed in');
    expect(st.textContent).toContain('Alice');
    expect(screen.getByTestId('countdown').textContent).toContain('4:12');
    expect(screen.queryByTestId('signin-button')).toBeNull();
    expect(screen.getByTestId('signout-button')).toBeTruthy();
    await fireEvent.click(screen.getByTestId('signout-menu'));
    expect(screen.getByTestId('signin-another-button').textContent).toContain('Sign in as another user');
  });

  it('signed in with an expired access token: says it refreshes on use', () => {
    const now = pin();
    show('signed_in', { expiresAt: new Date(now - 5000).toISOString(), capabilities: { refresh: true } });
    expect(screen.getByTestId('countdown').textContent).toContain('access token expired — refreshed on the next request');
  });

  it('expired: says so and offers Sign in again and Sign out', () => {
    show('expired');
    expect(screen.getByTestId('status-text').textContent).toContain('expired');
    expect(screen.getByTestId('signin-button').textContent).toContain('Sign in again');
    expect(screen.getByTestId('signout-button')).toBeTruthy();
  });

  it('error: shows what happened with the provider code, as text', () => {
    show('error', { error: { message: 'The provider rejected the redirect URI. <b>x</b>', code: 'invalid_request', description: 'bad uri', kind: 'provider' } });
    expect(screen.getByTestId('status-text').textContent).toContain('Sign-in failed');
    const err = screen.getByTestId('session-error');
    expect(err.textContent).toContain('The provider rejected the redirect URI. <b>x</b>');
    expect(err.textContent).toContain('invalid_request');
    expect(err.querySelector('b')).toBeNull();
    expect(screen.getByTestId('signin-button')).toBeTruthy();
  });

  it('signed out after a canceled sign-in: says what happened, not as an error', () => {
    show('signed_out', { error: { message: 'Sign-in canceled — nothing came back to http://127.0.0.1:4000/callback.', code: '', description: '', kind: 'canceled' } });
    expect(screen.getByTestId('session-note').textContent).toContain('Sign-in canceled');
    expect(screen.queryByTestId('session-error')).toBeNull();
    expect(screen.getByTestId('signin-button')).toBeTruthy();
  });

  it('Sign in calls SignIn and shows a Go error beside the header', async () => {
    const b = installBridge({ SignIn: () => Promise.reject('Port 8400 is in use. Pick port 0 (any) in the profile, then sign in again.') });
    show('signed_out');
    await fireEvent.click(screen.getByTestId('signin-button'));
    expect((await screen.findByTestId('action-error')).textContent).toContain('Port 8400 is in use');
    expect(b.callsTo('SignIn')).toEqual([['p1']]);
  });
});

describe('Sign out menu', () => {
  it('closes on Escape and on a click outside', async () => {
    resetDesk([profile()], session('signed_in'));
    render(Header);
    await fireEvent.click(screen.getByTestId('signout-menu'));
    expect(screen.getByTestId('signin-another-button')).toBeTruthy();
    await fireEvent.keyDown(document.body, { key: 'Escape' });
    expect(screen.queryByTestId('signin-another-button')).toBeNull();
    await fireEvent.click(screen.getByTestId('signout-menu'));
    await fireEvent.pointerDown(document.body);
    expect(screen.queryByTestId('signin-another-button')).toBeNull();
  });

  it('signs in as another user from the menu', async () => {
    const b = installBridge({ SignInAsAnotherUser: () => session('waiting') });
    resetDesk([profile()], session('signed_in'));
    render(Header);
    await fireEvent.click(screen.getByTestId('signout-menu'));
    await fireEvent.click(screen.getByTestId('signin-another-button'));
    expect(b.callsTo('SignInAsAnotherUser')).toEqual([['p1']]);
    expect(b.callsTo('SignIn')).toEqual([]);
  });
});

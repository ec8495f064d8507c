import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import TokensTab from './TokensTab.svelte';
import Sidebar from './Sidebar.svelte';
import Header from './Header.svelte';
import { desk } from '../lib/desk.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { jwt, profile, session } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import { TOKEN_TYPES } from '../lib/grants';

const src = profile();
const exchangedProfile = profile({ id: 'p1-x1', name: 'Acme staging → exchanged', status: 'signed_in' });
function signedIn(over = {}) {
  return session('signed_in', {
    accessToken: jwt([{ name: 'sub', value: 'alice' }]),
    idToken: jwt([{ name: 'sub', value: 'alice' }]),
    capabilities: { refresh: true, revoke: false, introspect: false, userinfo: false, logout: false },
    ...over,
  });
}

let b: FakeBridge;
beforeEach(() => {
  b = installBridge({
    ExchangeToken: () => exchangedProfile,
    Profiles: () => [src],
    Session: (id: string) =>
      id === 'p1-x1'
        ? { ...signedIn({ exchangedFrom: 'p1', issuedTokenType: 'urn:ietf:params:oauth:token-type:access_token' }), profileId: 'p1-x1', idToken: { present: false } }
        : signedIn(),
  });
  resetDesk([src], signedIn());
});
afterEach(removeBridge);

describe('Token exchange', () => {
  it('sends the form as an RFC 8693 request and opens the result as its own session', async () => {
    render(TokensTab);
    await fireEvent.click(screen.getByTestId('exchange-toggle'));
    const types = [...(screen.getByTestId('exchange-type') as HTMLSelectElement).options].map((o) => o.value);
    expect(types).toEqual(['', ...TOKEN_TYPES.map((t) => t.urn)]);
    await fireEvent.click(screen.getByTestId('exchange-subject-id'));
    await fireEvent.input(screen.getByTestId('exchange-audience'), { target: { value: 'orders-api' } });
    await fireEvent.input(screen.getByTestId('exchange-resource'), { target: { value: 'https://api.acme.test/orders' } });
    await fireEvent.input(screen.getByTestId('exchange-scope'), { target: { value: 'orders:read' } });
    const sel = screen.getByTestId('exchange-type') as HTMLSelectElement;
    sel.value = 'urn:ietf:params:oauth:token-type:jwt';
    await fireEvent.change(sel);
    await fireEvent.click(screen.getByTestId('exchange-submit'));
    await waitFor(() => expect(desk.selectedId).toBe('p1-x1'));
    expect(b.callsTo('ExchangeToken')).toEqual([
      ['p1', { subjectToken: 'id', audience: 'orders-api', resource: 'https://api.acme.test/orders', scope: 'orders:read', requestedTokenType: 'urn:ietf:params:oauth:token-type:jwt' }],
    ]);
    expect(desk.tab).toBe('tokens');
    // Not remembered as the profile to open next launch.
    expect(b.callsTo('SelectProfile')).toEqual([]);
    // Go's list lacks the transient profile: the desk keeps it.
    expect(desk.profiles.map((p) => p.id)).toEqual(['p1', 'p1-x1']);
  });

  it('shows the provider\'s refusal inline', async () => {
    b = installBridge({
      ExchangeToken: () => {
        throw 'The provider refused the exchange (invalid_target): unknown audience';
      },
    });
    render(TokensTab);
    await fireEvent.click(screen.getByTestId('exchange-toggle'));
    await fireEvent.click(screen.getByTestId('exchange-submit'));
    const err = await screen.findByTestId('exchange-error');
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toContain('invalid_target');
    expect(desk.selectedId).toBe('p1');
  });

  it('lists the exchanged session under its source in the sidebar, and says where it came from', async () => {
    desk.exchanged = { 'p1-x1': { from: 'p1', profile: exchangedProfile } };
    desk.profiles = [src, profile({ id: 'p2', name: 'Other' }), exchangedProfile];
    render(Sidebar);
    const items = screen.getAllByTestId('profile-item');
    expect(items.map((i) => i.dataset.profileId)).toEqual(['p1', 'p1-x1', 'p2']);
    expect(items[1].dataset.exchanged).toBe('true');
    expect(items[1].textContent).toContain('Acme staging → exchanged');
    expect(items[1].textContent).toContain('(exchanged token)');

    await desk.select('p1-x1', false);
    render(TokensTab);
    const note = screen.getByTestId('exchanged-from');
    expect(note.textContent).toContain('Acme staging');
    expect(note.textContent).toContain('issued as Access token');
  });
});

describe('Client credentials session', () => {
  it('shows "Get new token" where Refresh is, even with no refresh token', async () => {
    resetDesk([profile({ grant: 'client_credentials' })], signedIn({ grant: 'client_credentials', capabilities: { refresh: false, revoke: false, introspect: false, userinfo: false, logout: false } }));
    render(TokensTab);
    const btn = screen.getByTestId('refresh-button') as HTMLButtonElement;
    expect(btn.textContent).toContain('Get new token');
    expect(btn.disabled).toBe(false);
    expect(screen.getByTestId('service-badge')).toBeTruthy();
    await fireEvent.click(btn);
    expect(b.callsTo('Refresh')).toEqual([['p1']]);
  });

  it('header: "Get token" while signed out, no person named while signed in', () => {
    resetDesk([profile({ grant: 'client_credentials' })], session('signed_out'));
    const first = render(Header);
    expect(screen.getByTestId('signin-button').textContent).toBe('Get token');
    first.unmount();
    resetDesk([profile({ grant: 'client_credentials' })], signedIn({ grant: 'client_credentials', subject: 'pkce-desk-service' }));
    render(Header);
    expect(screen.getByTestId('status-text').textContent).toContain('Service-account token');
    expect(screen.getByTestId('status-text').textContent).not.toContain('pkce-desk-service');
  });
});

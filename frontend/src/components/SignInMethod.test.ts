import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ProfileEditor from './ProfileEditor.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import type { Profile } from '../lib/api';
import { reserved } from '../lib/reserved.svelte';

let b: FakeBridge;
beforeEach(() => {
  vi.useFakeTimers();
  b = installBridge({
    RedirectURI: (p: Profile) => `http://${p.redirectHost}${p.redirectPath}`,
    SaveProfile: (p: Profile) => ({ profile: { ...p, clientSecret: '', hasClientSecret: !!p.clientSecret }, errors: [] }),
  });
  resetDesk([profile()]);
  reserved.reset();
});
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

describe('Sign-in method', () => {
  it('offers the three grants, browser + loopback first and chosen for an older profile', async () => {
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    const group = screen.getByRole('radiogroup', { name: 'Sign-in method' });
    const labels = [...group.querySelectorAll('label strong')].map((e) => e.textContent);
    expect(labels).toEqual(['Browser + loopback redirect (recommended)', 'Device code', 'Client credentials (service account)']);
    expect((screen.getByTestId('grant-authorization_code') as HTMLInputElement).checked).toBe(true);
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('redirect-uri').textContent).toBe('http://127.0.0.1/callback');
    expect(screen.queryByTestId('field-endpoints.deviceAuthorization')).toBeNull();
  });

  it('device code: asks for the device endpoint and hides the redirect', async () => {
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    await fireEvent.click(screen.getByTestId('grant-device_code'));
    const ep = screen.getByTestId('field-endpoints.deviceAuthorization');
    await fireEvent.input(ep, { target: { value: 'https://sso.acme.test/device/code' } });
    expect(screen.queryByTestId('field-redirectPort')).toBeNull();
    expect(screen.queryByTestId('field-redirectUri')).toBeNull();
    await fireEvent.click(screen.getByTestId('save-button'));
    await vi.advanceTimersByTimeAsync(10);
    const sent = b.callsTo('SaveProfile')[0][0] as Profile;
    expect(sent.grant).toBe('device_code');
    expect(sent.endpoints.deviceAuthorization).toBe('https://sso.acme.test/device/code');
  });

  it('client credentials: hides the redirect, drops "none" and requires a secret', async () => {
    render(ProfileEditor, { profile: profile({ authMethod: 'none' }), onsaved: () => {} });
    await fireEvent.click(screen.getByTestId('grant-client_credentials'));
    expect(screen.queryByTestId('field-redirectHost')).toBeNull();
    const method = screen.getByTestId('field-authMethod') as HTMLSelectElement;
    expect(method.value).toBe('client_secret_basic');
    expect([...method.options].map((o) => o.value)).not.toContain('none');
    expect(screen.getByTestId('secret-required').textContent).toContain('signs in with its secret');
    const secret = screen.getByTestId('field-clientSecret') as HTMLInputElement;
    expect(secret.required).toBe(true);
    await fireEvent.input(secret, { target: { value: 's3cret' } });
    expect(screen.queryByTestId('secret-required')).toBeNull();
    expect(screen.getByTestId('grant-note').textContent).toContain('no refresh token');
  });

  it('a stored secret satisfies a service account', () => {
    render(ProfileEditor, { profile: profile({ grant: 'client_credentials', authMethod: 'client_secret_post', hasClientSecret: true }), onsaved: () => {} });
    expect(screen.queryByTestId('secret-required')).toBeNull();
    expect(screen.getByTestId('secret-stored')).toBeTruthy();
  });

  it('keeps a hosted https redirect URI under Redirect, saying why loopback is better', async () => {
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    const why = screen.getByTestId('redirect-why-loopback').textContent ?? '';
    expect(why).toContain('RFC 8252 §7.3, §8.3');
    expect(why).toContain('nothing to copy');
    expect(why).toMatch(/no hosted page/);
    expect((screen.getByTestId('redirect-advanced') as HTMLDetailsElement).open).toBe(false);
    await fireEvent.input(screen.getByTestId('field-redirectUri'), { target: { value: 'https://app.acme.test/cb' } });
    expect(screen.getByTestId('redirect-hosted-note').textContent).toContain('paste it into PKCE Desk');
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.queryByTestId('redirect-uri')).toBeNull(); // no loopback URI to register now
    await fireEvent.click(screen.getByTestId('save-button'));
    await vi.advanceTimersByTimeAsync(10);
    expect((b.callsTo('SaveProfile')[0][0] as Profile).redirectUri).toBe('https://app.acme.test/cb');
  });

  it('shows Go\'s message under the hosted redirect URI', async () => {
    b = installBridge({ ValidateProfile: () => [{ field: 'redirect_uri', message: 'Use https for a redirect URI that is not loopback.' }] });
    render(ProfileEditor, { profile: profile({ redirectUri: 'http://app.acme.test/cb' }), onsaved: () => {} });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('error-redirectUri').textContent).toBe('Use https for a redirect URI that is not loopback.');
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ProfileEditor from './ProfileEditor.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import type { Profile } from '../lib/api';

let b: FakeBridge;
beforeEach(() => {
  vi.useFakeTimers();
  b = installBridge({
    ValidateProfile: (p: Profile) => (p.clientId ? [] : [{ field: 'client_id', message: 'Enter the client ID your provider gave you.' }]),
    RedirectURI: (p: Profile) => `http://${p.redirectHost}${p.redirectPort ? ':' + p.redirectPort : ''}${p.redirectPath}`,
    SaveProfile: (p: Profile) => ({ profile: { ...p, clientSecret: '', hasClientSecret: !!p.clientSecret }, errors: [] }),
  });
  resetDesk([profile()]);
});
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

describe('Profile editor', () => {
  it('validates as the user types (debounced) and shows the message under the field', async () => {
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('redirect-uri').textContent).toBe('http://127.0.0.1/callback');
    const before = b.callsTo('ValidateProfile').length;
    const id = screen.getByTestId('field-clientId');
    await fireEvent.input(id, { target: { value: 'd' } });
    await fireEvent.input(id, { target: { value: '' } });
    await vi.advanceTimersByTimeAsync(350);
    expect(b.callsTo('ValidateProfile').length).toBe(before + 1);
    expect(screen.getByTestId('error-clientId').textContent).toBe('Enter the client ID your provider gave you.');
    expect(screen.getByTestId('unsaved-marker')).toBeTruthy();
  });

  it('saves explicitly, with the new secret, and clears the unsaved marker', async () => {
    const saved: Profile[] = [];
    render(ProfileEditor, { profile: profile({ authMethod: 'client_secret_basic' }), onsaved: (p: Profile) => saved.push(p) });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.queryByTestId('unsaved-marker')).toBeNull();
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(true);
    await fireEvent.input(screen.getByTestId('field-clientSecret'), { target: { value: 's3cret' } });
    await fireEvent.input(screen.getByTestId('field-redirectPort'), { target: { value: '8400' } });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('redirect-uri').textContent).toBe('http://127.0.0.1:8400/callback');
    await fireEvent.click(screen.getByTestId('save-button'));
    await vi.advanceTimersByTimeAsync(10);
    const sent = b.callsTo('SaveProfile')[0][0] as Profile;
    expect(sent.clientSecret).toBe('s3cret');
    expect(sent.redirectPort).toBe(8400);
    expect(saved).toHaveLength(1);
    expect(screen.queryByTestId('unsaved-marker')).toBeNull();
    expect(screen.getByTestId('secret-stored').textContent).toContain('stored in keychain');
    expect((screen.getByTestId('field-clientSecret') as HTMLInputElement).value).toBe('');
  });

  it('edits scopes as chips and offers discovered scopes', async () => {
    b = installBridge({
      Discover: () => ({ issuer: 'x', endpoints: { token: 'https://sso.acme.test/token' }, scopesSupported: ['openid', 'groups'], s256: true, issParameterSupported: false, grantTypes: [], authMethods: [] }),
    });
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    const input = screen.getByTestId('field-scopes');
    await fireEvent.input(input, { target: { value: 'email' } });
    await fireEvent.keyDown(input, { key: 'Enter' });
    expect(screen.getByTestId('scope-chips').textContent).toContain('email');
    await fireEvent.click(screen.getByLabelText('Remove scope openid'));
    expect(screen.getByTestId('scope-chips').textContent).not.toContain('openid');
    await fireEvent.click(screen.getByTestId('discover-button'));
    await vi.advanceTimersByTimeAsync(10);
    expect(screen.getByTestId('discovery-result').textContent).toContain('S256 supported');
    expect((screen.getByTestId('field-endpoints.token') as HTMLInputElement).value).toBe('https://sso.acme.test/token');
    await fireEvent.click(screen.getByText('+ groups'));
    expect(screen.getByTestId('scope-chips').textContent).toContain('groups');
  });

  it('shows save errors from Go beside their fields and no Delete for the demo', async () => {
    b = installBridge({
      SaveProfile: () => ({
        profile: null,
        errors: [
          { field: 'issuer', message: 'Use https for the issuer.' },
          { field: 'redirect_port', message: 'Use a port between 1 and 65535.' },
          { field: 'params[0].key', message: 'Give the parameter a name.' },
        ],
      }),
    });
    render(ProfileEditor, { profile: profile({ builtIn: true }), onsaved: () => {} });
    expect(screen.queryByTestId('delete-button')).toBeNull();
    await fireEvent.input(screen.getByTestId('field-name'), { target: { value: 'Demo 2' } });
    await fireEvent.click(screen.getByTestId('save-button'));
    await vi.advanceTimersByTimeAsync(10);
    expect(screen.getByTestId('error-issuer').textContent).toBe('Use https for the issuer.');
    expect(screen.getByTestId('error-redirectPort').textContent).toBe('Use a port between 1 and 65535.');
    expect(screen.getByTestId('error-params').textContent).toBe('Give the parameter a name.');
    expect(screen.getByTestId('save-error').textContent).toContain('Not saved yet');
  });
});

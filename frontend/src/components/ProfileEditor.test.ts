import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ProfileEditor from './ProfileEditor.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import type { Profile } from '../lib/api';
import { reserved } from '../lib/reserved.svelte';
import { desk } from '../lib/desk.svelte';

let b: FakeBridge;
beforeEach(() => {
  vi.useFakeTimers();
  b = installBridge({
    ValidateProfile: (p: Profile) => (p.clientId ? [] : [{ field: 'client_id', message: 'Enter the client ID your provider gave you.' }]),
    RedirectURI: (p: Profile) => `http://${p.redirectHost}${p.redirectPort ? ':' + p.redirectPort : ''}${p.redirectPath}`,
    SaveProfile: (p: Profile) => ({ profile: { ...p, clientSecret: '', hasClientSecret: !!p.clientSecret }, errors: [] }),
  });
  resetDesk([profile()]);
  reserved.reset();
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

describe('Messages for fields the editor does not show', () => {
  it('lists them at the top, and a shown field keeps its own beside it', async () => {
    b = installBridge({
      ValidateProfile: () => [
        { field: 'client_id', message: 'Enter the client ID your provider gave you.' },
        { field: 'client_secret', message: 'A public client has no secret: remove it.' },
        { field: 'preset', message: 'Unknown preset.' },
      ],
    });
    render(ProfileEditor, { profile: profile({ authMethod: 'none' }), onsaved: () => {} });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('error-clientId').textContent).toBe('Enter the client ID your provider gave you.');
    // No secret field while the client is public: its message is not lost.
    expect(screen.queryByTestId('field-clientSecret')).toBeNull();
    expect(screen.getAllByTestId('error-other').map((e) => e.textContent)).toEqual(['A public client has no secret: remove it.', 'Unknown preset.']);
    // Once the field is there, the message moves beside it.
    await fireEvent.change(screen.getByTestId('field-authMethod'), { target: { value: 'client_secret_basic' } });
    await vi.advanceTimersByTimeAsync(350);
    expect(screen.getByTestId('error-clientSecret').textContent).toBe('A public client has no secret: remove it.');
    expect(screen.getAllByTestId('error-other').map((e) => e.textContent)).toEqual(['Unknown preset.']);
  });
});

describe('Duplicate and delete', () => {
  it('asks before deleting, and the dialog inside the form does not save it', async () => {
    let deleted = 0;
    b = installBridge({ DeleteProfile: () => null });
    render(ProfileEditor, { profile: profile(), onsaved: () => {}, ondeleted: () => deleted++ });
    await fireEvent.click(screen.getByTestId('delete-button'));
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('Delete “Acme staging”?');
    expect(b.callsTo('DeleteProfile')).toEqual([]);
    await fireEvent.click(screen.getByTestId('confirm-ok'));
    await vi.advanceTimersByTimeAsync(10);
    expect(deleted).toBe(1);
    expect(b.callsTo('DeleteProfile')).toEqual([['p1']]);
    expect(b.callsTo('SaveProfile')).toEqual([]);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
  });

  it('duplicates through Go and opens the copy', async () => {
    b = installBridge({
      DuplicateProfile: () => profile({ id: 'p1-copy', name: 'Acme staging (copy)' }),
      Profiles: () => [profile(), profile({ id: 'p1-copy', name: 'Acme staging (copy)' })],
    });
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    await fireEvent.click(screen.getByTestId('duplicate-button'));
    await vi.advanceTimersByTimeAsync(10);
    expect(b.callsTo('DuplicateProfile')).toEqual([['p1']]);
    expect(desk.selectedId).toBe('p1-copy');
    expect(desk.tab).toBe('profile');
    expect(desk.toasts.at(-1)?.message).toContain('Its client secret was not copied.');
  });
});

describe('Extra parameters', () => {
  it('refuses a name the sign-in sets itself as it is typed, with the list from Go asked once', async () => {
    b = installBridge({ ReservedParams: () => ['state', 'nonce', 'code_verifier', 'response_mode'] });
    const first = render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    first.unmount();
    render(ProfileEditor, { profile: profile(), onsaved: () => {} });
    await vi.advanceTimersByTimeAsync(10);
    await fireEvent.click(screen.getByTestId('params-editor-add'));
    expect(screen.queryByTestId('save-error')).toBeNull(); // the add button does not submit the form
    const key = screen.getByLabelText('Parameter name 1') as HTMLInputElement;
    await fireEvent.input(key, { target: { value: 'audience' } });
    expect(screen.queryByTestId('params-editor-error')).toBeNull();
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(false);

    await fireEvent.input(key, { target: { value: 'Nonce ' } });
    const err = screen.getByTestId('params-editor-error');
    expect(err.textContent).toContain('PKCE Desk sets “Nonce” itself');
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(key.getAttribute('aria-describedby')).toBe(err.id);
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByTestId('save-blocked').textContent).toContain('Fix the extra parameters');
    // Enter in a field submits the form: still refused, with the reason.
    await fireEvent.submit(screen.getByRole('form', { name: 'Profile editor' }));
    expect(screen.getByTestId('save-error').textContent).toContain('uses a name PKCE Desk sets itself');
    expect(b.callsTo('SaveProfile')).toHaveLength(0);

    await fireEvent.input(key, { target: { value: 'login_hint' } });
    expect(screen.queryByTestId('params-editor-error')).toBeNull();
    expect((screen.getByTestId('save-button') as HTMLButtonElement).disabled).toBe(false);
    expect(b.callsTo('ReservedParams')).toHaveLength(1);
  });
});

describe('Endpoints outside the issuer', () => {
  const foreign = (over: Partial<Profile> = {}) =>
    profile({
      issuer: 'https://accounts.google.com',
      endpoints: { authorization: '', token: 'https://proxy.evil.test/token', userinfo: '', revocation: '', introspection: '', endSession: '', jwks: 'https://keys.example.test/jwks', deviceAuthorization: '' },
      foreignEndpoints: [
        { name: 'token endpoint', url: 'https://proxy.evil.test/token', origin: 'https://proxy.evil.test' },
        { name: 'JWKS URL', url: 'https://keys.example.test/jwks', origin: 'https://keys.example.test' },
      ],
      trustedOrigins: ['https://keys.example.test'],
      ...over,
    });

  it('warns under each such field, naming the origin and whether it was confirmed, in words', async () => {
    render(ProfileEditor, { profile: foreign(), onsaved: () => {} });
    expect(screen.getByTestId('foreign-count').textContent).toContain('2 leave the issuer');
    expect(screen.getByText(/Endpoints/, { selector: 'summary' }).closest('details')?.open).toBe(true);
    const notes = screen.getAllByTestId('foreign-note');
    expect(notes.map((n) => n.dataset.origin)).toEqual(['https://proxy.evil.test', 'https://keys.example.test']);
    expect(notes[0].textContent).toContain('Leaves the issuer: goes to https://proxy.evil.test');
    expect(notes[0].textContent).toContain('Not confirmed yet');
    expect(notes[0].textContent).toContain('⚠');
    expect(notes[1].textContent).toContain('You confirmed this host');
    const token = screen.getByTestId('field-endpoints.token');
    expect(token.getAttribute('aria-describedby')).toBe(notes[0].id);
    expect(screen.getByTestId('field-endpoints.authorization').getAttribute('aria-describedby')).toBeNull();
  });

  it('claims nothing for an edited field or issuer until Go has seen the change', async () => {
    render(ProfileEditor, { profile: foreign(), onsaved: () => {} });
    await fireEvent.input(screen.getByTestId('field-endpoints.token'), { target: { value: 'https://accounts.google.com/token' } });
    expect(screen.getAllByTestId('foreign-note').map((n) => n.dataset.origin)).toEqual(['https://keys.example.test']);
    await fireEvent.input(screen.getByTestId('field-issuer'), { target: { value: 'https://keys.example.test' } });
    expect(screen.queryAllByTestId('foreign-note')).toHaveLength(0);
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import Sidebar from './Sidebar.svelte';
import NewProfile from './NewProfile.svelte';
import { desk } from '../lib/desk.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile } from '../test/fixtures';
import { resetDesk } from '../test/reset';

let b: FakeBridge;
beforeEach(() => {
  b = installBridge({
    Presets: () => [
      { id: 'demo', name: 'Built-in demo', needs: null, notes: ['Runs on this computer.'], profile: {} },
      { id: 'keycloak', name: 'Keycloak', needs: ['host', 'realm'], notes: ['Turn client authentication off.'], profile: {} },
    ],
    NewProfile: (id: string) => ({ ...profile({ id: '', name: `New ${id}` }), preset: id }),
  });
  resetDesk([profile({ id: 'demo', name: 'Demo provider', builtIn: true, status: 'signed_in' }), profile({ id: 'p2', name: 'Acme <i>prod</i>' })]);
});
afterEach(removeBridge);

describe('Sidebar', () => {
  it('lists profiles with ★ for the demo, the signed-in marker, and selects on click', async () => {
    render(Sidebar);
    const items = screen.getAllByTestId('profile-item');
    expect(items.map((i) => i.dataset.profileId)).toEqual(['demo', 'p2']);
    expect(items[0].textContent).toContain('★');
    expect(items[0].textContent).toContain('signed in');
    expect(items[1].textContent).toContain('Acme <i>prod</i>');
    expect(items[1].querySelector('i')).toBeNull();
    await fireEvent.click(items[1]);
    expect(desk.selectedId).toBe('p2');
    expect(b.callsTo('SelectProfile')).toEqual([['p2']]);
  });

  it('saves presentation mode and theme, and applies the theme at once', async () => {
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('presentation-toggle'));
    await fireEvent.change(screen.getByTestId('theme-select'), { target: { value: 'dark' } });
    expect(desk.settings).toMatchObject({ presentationMode: true, theme: 'dark' });
    expect(document.documentElement.dataset.theme).toBe('dark');
    expect(b.callsTo('SaveSettings').at(-1)).toEqual([{ presentationMode: true, theme: 'dark' }]);
    await fireEvent.change(screen.getByTestId('theme-select'), { target: { value: 'system' } });
    expect(document.documentElement.dataset.theme).toBeUndefined();
  });

  it('takes a setting back when Go cannot save it', async () => {
    b = installBridge({ SaveSettings: () => Promise.reject('disk full') });
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('presentation-toggle'));
    await waitFor(() => expect(desk.toasts.at(-1)?.message).toContain('disk full'));
    expect(desk.settings.presentationMode).toBe(false);
  });
});

describe('Import report', () => {
  it("shows each profile's notes from Go, as text", async () => {
    b = installBridge({
      ImportProfiles: () => ({
        path: '/home/me/profiles.json',
        items: [
          {
            name: 'Google via proxy',
            importedId: 'g1',
            problems: null,
            notes: ['Uses its own CA file /etc/ca.pem.', 'token endpoint → https://proxy.evil.test — leaves the issuer <b>x</b>'],
          },
          { name: 'Broken', importedId: '', problems: ['No client ID.'], notes: [] },
        ],
      }),
    });
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('import-button'));
    const report = await screen.findByTestId('import-result');
    const items = screen.getAllByTestId('import-item');
    expect(items).toHaveLength(2);
    const notes = screen.getAllByTestId('import-note').map((n) => n.textContent?.trim());
    expect(notes).toEqual(['ⓘ Uses its own CA file /etc/ca.pem.', 'ⓘ token endpoint → https://proxy.evil.test — leaves the issuer <b>x</b>']);
    expect(report.querySelector('b')).toBeNull();
    expect(items[1].textContent).toContain('skipped');
    expect(items[1].textContent).toContain('No client ID.');
    await fireEvent.click(screen.getByLabelText('Close import report'));
    expect(screen.queryByTestId('import-result')).toBeNull();
  });
});

describe('New profile', () => {
  it('picks a preset, asks Go for the profile, and shows the preset notes in the editor', async () => {
    render(Sidebar);
    await fireEvent.click(screen.getByTestId('new-profile-button'));
    expect(desk.creating).not.toBeNull();
    render(NewProfile);
    const kc = await screen.findByTestId('preset-keycloak');
    expect(kc.textContent).toContain('You need: host, realm');
    await fireEvent.click(kc);
    await screen.findByTestId('field-name');
    expect(b.callsTo('NewProfile')).toEqual([['keycloak']]);
    expect((screen.getByTestId('field-name') as HTMLInputElement).value).toBe('New keycloak');
    expect(screen.getByTestId('profile-notes').textContent).toContain('Turn client authentication off.');
  });
});

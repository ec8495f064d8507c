import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import FlowTab from './FlowTab.svelte';
import { desk } from '../lib/desk.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { event, profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import { Events } from '../lib/events';

let b: FakeBridge;
beforeEach(() => {
  b = installBridge({ RevealTraceField: () => 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk' });
  resetDesk([profile()], session('signed_in'));
});
afterEach(removeBridge);

describe('Flow timeline', () => {
  it('invites a sign-in when empty', () => {
    resetDesk([profile()], session('signed_out'));
    render(FlowTab);
    expect(screen.getByTestId('flow-empty').textContent).toBe('Sign in to see each step of the flow here.');
    // The empty tab already teaches what a sign-in will do, in order.
    const steps = [...screen.getByTestId('flow-preview').querySelectorAll('li strong')].map((e) => e.textContent);
    expect(steps).toEqual(['Discovery', 'Loopback listener', 'PKCE', 'Your browser', 'Callback', 'Token exchange', 'ID token checks']);
  });

  it('renders each event with its words, offset and status', () => {
    desk.traces = { p1: [event(1, { title: 'Found the endpoints' }), event(2, { step: 'callback', status: 'warn', title: 'Ignored a response (state mismatch)', detail: 'CSRF protection' })] };
    render(FlowTab);
    const rows = screen.getAllByTestId('timeline-event');
    expect(rows).toHaveLength(2);
    expect(rows[0].textContent).toContain('Discovery');
    expect(rows[0].textContent).toContain('Found the endpoints');
    expect(rows[0].textContent).toContain('+10 ms');
    expect(rows[1].dataset.status).toBe('warn');
    expect(rows[1].textContent).toContain('warning');
    expect(rows[1].textContent).toContain('CSRF protection');
  });

  it('shows an XSS payload in title, detail and fields as plain text', async () => {
    desk.traces = { p1: [event(1, { status: 'fail', title: XSS, detail: XSS, fields: [{ name: XSS, value: XSS, secret: false }] })] };
    const { container } = render(FlowTab);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toContain(XSS);
    // failures open by default: the field table is there, still as text
    expect(container.querySelectorAll('td').length).toBeGreaterThan(0);
    expect(container.querySelector('img')).toBeNull();
  });

  it('appends events live from the "trace" event and replaces by seq', async () => {
    desk.init();
    render(FlowTab);
    b.emit(Events.trace, { profileId: 'p1', event: event(1, { title: 'first' }) });
    b.emit(Events.trace, { profileId: 'p1', event: event(2, { title: 'second' }) });
    b.emit(Events.trace, { profileId: 'other', event: event(3, { title: 'elsewhere' }) });
    b.emit(Events.trace, { profileId: 'p1', event: event(2, { title: 'second, updated' }) });
    const rows = await screen.findAllByTestId('timeline-event');
    expect(rows.map((r) => r.querySelector('.title')?.textContent)).toEqual(['first', 'second, updated']);
    desk.dispose();
  });

  it('counts the ignored forged callbacks in words, in the waiting row while waiting', () => {
    desk.sessions = { p1: session('waiting', { ignoredCallbacks: 2 }) };
    desk.traces = { p1: [event(0, { step: 'callback', status: 'warn', title: 'IGNORED a callback: state mismatch' })] };
    render(FlowTab);
    const note = screen.getByTestId('ignored-callbacks');
    expect(screen.getByTestId('waiting-row').contains(note)).toBe(true);
    expect(note.textContent).toContain('⚠');
    expect(note.textContent).toContain('2 forged callbacks ignored');
    expect(note.textContent).toContain('did not match this sign-in');
  });

  it('keeps the count after the sign-in, and says nothing when there were none', () => {
    desk.sessions = { p1: session('signed_in', { ignoredCallbacks: 1 }) };
    desk.traces = { p1: [event(0, { step: 'done', title: 'Signed in' })] };
    const first = render(FlowTab);
    expect(screen.getByTestId('ignored-callbacks').textContent).toContain('1 forged callback ignored');
    first.unmount();
    desk.sessions = { p1: session('signed_in', { ignoredCallbacks: 0 }) };
    render(FlowTab);
    expect(screen.getByTestId('flow-heading')).toBeTruthy();
    expect(screen.queryByTestId('ignored-callbacks')).toBeNull();
  });

  it('masks secret fields and reveals one on click, through RevealTraceField', async () => {
    desk.traces = { p1: [event(5, { step: 'pkce', fields: [{ name: 'code_verifier', value: 'dBjftJ…EjXk', secret: true }, { name: 'code_challenge', value: 'E9Mel', secret: false }] })] };
    const { container } = render(FlowTab);
    // PKCE opens by default, showing the chain; the secret stays masked
    expect(container.querySelector('.head')!.getAttribute('aria-expanded')).toBe('true');
    expect(container.textContent).not.toContain('dBjftJeZ4CVP');
    expect(screen.getByTestId('pkce-explainer').textContent).toContain('SHA-256');
    await fireEvent.click(screen.getByTestId('reveal-field'));
    await screen.findAllByText('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk');
    expect(b.callsTo('RevealTraceField')).toEqual([['p1', 5, 'code_verifier']]);
  });

  it('offers no Reveal in presentation mode', async () => {
    desk.settings = { presentationMode: true, theme: 'system' } as typeof desk.settings;
    desk.traces = { p1: [event(5, { status: 'fail', fields: [{ name: 'code', value: 'Spl…Bzw', secret: true }] })] };
    render(FlowTab);
    expect(screen.queryByTestId('reveal-field')).toBeNull();
    expect(screen.getByText('Spl…Bzw')).toBeTruthy();
  });

  it('turns the authorization URL into a parameter table with Open again', async () => {
    desk.traces = { p1: [event(4, { step: 'authorize', status: 'fail', fields: [{ name: 'url', value: 'https://idp.test/authorize?client_id=desk&code_challenge_method=S256', secret: false }] })] };
    render(FlowTab);
    const table = screen.getByTestId('auth-url');
    expect(table.textContent).toContain('client_id');
    expect(table.textContent).toContain('code_challenge_method');
    await fireEvent.click(screen.getByTestId('open-again'));
    expect(b.callsTo('OpenInBrowser')).toEqual([['https://idp.test/authorize?client_id=desk&code_challenge_method=S256']]);
  });

  it('lists ID-token checks with their reason', async () => {
    desk.sessions = { p1: session('signed_in', { checks: [{ name: 'aud', ok: true, detail: 'desk-app', why: 'Stops replay to another app.' }, { name: 'nonce', ok: false, detail: XSS, why: 'Ties the token to this sign-in.' }] }) };
    desk.traces = { p1: [event(1)] };
    const { container } = render(FlowTab);
    const items = screen.getAllByTestId('check-item');
    expect(items.map((i) => i.dataset.ok)).toEqual(['true', 'false']);
    expect(items[0].querySelector('button')?.getAttribute('title')).toBe('Stops replay to another app.');
    expect(items[1].textContent).toContain('✗');
    await fireEvent.click(items[1].querySelector('button')!);
    expect(items[1].textContent).toContain('Why this matters: Ties the token to this sign-in.');
    expect(container.querySelector('img')).toBeNull();
  });

  it('copies the trace as Markdown through ExportTrace', async () => {
    b = installBridge({ ExportTrace: () => '# flow' });
    desk.traces = { p1: [event(1)] };
    render(FlowTab);
    await fireEvent.click(screen.getByTestId('copy-markdown'));
    await waitFor(() => expect(b.clipboard).toEqual(['# flow']));
    expect(b.callsTo('ExportTrace')).toEqual([['p1', 'markdown']]);
  });

  it('folds the ID-token check events into one checklist row', async () => {
    const why = (w: string) => [{ name: 'why', value: w, secret: false }];
    desk.sessions = { p1: session('signed_in', { checks: [{ name: 'aud', ok: true, detail: '', why: '' }] }) };
    desk.traces = {
      p1: [
        event(0, { step: 'token_response', title: 'Token response accepted' }),
        event(1, { step: 'id_token', title: 'Signature', detail: 'RS256', fields: why('Proves the provider issued it.') }),
        event(2, { step: 'id_token', title: 'Nonce', status: 'fail', detail: 'mismatch', fields: why('Stops replay.') }),
      ],
    };
    const { container } = render(FlowTab);
    const rows = screen.getAllByTestId('timeline-event');
    expect(rows).toHaveLength(2);
    expect(rows[1].textContent).toContain('1 of 2 checks passed');
    expect(rows[1].dataset.status).toBe('fail');
    const items = screen.getAllByTestId('check-item');
    expect(items.map((i) => i.dataset.ok)).toEqual(['true', 'false']);
    expect(items[1].querySelector('button')?.getAttribute('title')).toBe('Stops replay.');
    expect(container.querySelectorAll('#id-token-checks')).toHaveLength(1);
  });

  it('draws no empty detail box for a failure without details', () => {
    desk.traces = { p1: [event(0, { step: 'error', status: 'fail', title: 'Sign-in canceled' })] };
    const { container } = render(FlowTab);
    expect(screen.getByTestId('timeline-event').textContent).toContain('Sign-in canceled');
    expect(container.querySelector('.detail')).toBeNull();
  });

  it('tells a restore from the kept refresh token as a restore, not a sign-in', () => {
    desk.sessions = { p1: session('signed_in', { restored: true }) };
    desk.traces = {
      p1: [
        event(0, { step: 'discovery', title: 'Found the endpoints' }),
        event(1, { step: 'refresh', title: 'Refreshed the tokens' }),
        event(2, { step: 'done', title: 'session restored from the kept refresh token' }),
      ],
    };
    render(FlowTab);
    expect(screen.getByTestId('flow-heading').textContent).toBe('The story of this restore');
    expect(screen.getByTestId('flow-restore-note').textContent).toBe('Signed in again without a browser, with the refresh token kept in your keychain.');
    expect(screen.getByRole('region', { name: 'Restore flow' })).toBeTruthy();
  });

  it('keeps the sign-in heading for a browser sign-in', () => {
    desk.traces = { p1: [event(0, { step: 'authorize' }), event(1, { step: 'browser', title: 'Opened your browser' }), event(2, { step: 'done', title: 'Signed in' })] };
    render(FlowTab);
    expect(screen.getByTestId('flow-heading').textContent).toBe('The story of this sign-in');
    expect(screen.queryByTestId('flow-restore-note')).toBeNull();
  });
});

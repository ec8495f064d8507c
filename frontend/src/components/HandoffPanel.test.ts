import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import FlowTab from './FlowTab.svelte';
import PasteBox from './PasteBox.svelte';
import { desk } from '../lib/desk.svelte';
import type { Handoff } from '../lib/api';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';

const T0 = Date.parse('2026-11-25T13:00:00Z');
const URL_ = 'https://sso.acme.test/authorize?client_id=desk-app&state=abc';
const STATE_REFUSAL = 'the state does not match this sign-in: this URL is from another attempt or was forged';

function handoff(over: Partial<Handoff> = {}): Handoff {
  return { url: URL_, browserError: '', paste: true, pasteOnly: false, pasteUntil: '', ...over };
}

let b: FakeBridge;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  b = installBridge({
    PasteRedirect: (_id: string, raw: string) => {
      if (raw.includes('state=wrong')) throw STATE_REFUSAL;
      return null;
    },
  });
  resetDesk([profile()], session('waiting', { handoff: handoff() }));
});
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

describe('Handoff panel', () => {
  it('waits with a spinner, the URL, Copy and Open again (through OpenAuthorizationAgain)', async () => {
    const { container } = render(FlowTab);
    const row = screen.getByTestId('waiting-row');
    expect(row.querySelector('.spinner')).toBeTruthy();
    expect(row.textContent).toContain('Waiting for you in the browser');
    expect(screen.getByTestId('handoff-url').textContent).toBe(URL_);
    await fireEvent.click(screen.getByTestId('waiting-open-again'));
    expect(b.callsTo('OpenAuthorizationAgain')).toEqual([['p1']]);
    await fireEvent.click(screen.getByTestId('waiting-copy-url'));
    await waitFor(() => expect(b.clipboard).toEqual([URL_]));
    // The paste box is one click away while the loopback may still answer.
    expect(screen.queryByTestId('paste-box')).toBeNull();
    await fireEvent.click(screen.getByTestId('paste-toggle'));
    expect(screen.getByTestId('paste-box')).toBeTruthy();
    expect(container.querySelector('img')).toBeNull();
  });

  it('says the browser could not be started, instead of a spinner, and offers the paste box at once', () => {
    desk.sessions = { p1: session('waiting', { handoff: handoff({ browserError: `xdg-open exited with status 3: ${XSS}` }) }) };
    const { container } = render(FlowTab);
    const row = screen.getByTestId('waiting-row');
    expect(row.querySelector('.spinner')).toBeNull();
    expect(row.textContent).not.toContain('Waiting for you in the browser');
    const err = screen.getByTestId('handoff-browser-error');
    expect(err.getAttribute('role')).toBe('alert');
    expect(err.textContent).toContain('could not open your browser');
    expect(err.textContent).toContain(XSS);
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('waiting-open-again').textContent).toContain('Try opening again');
    expect(screen.getByTestId('paste-box')).toBeTruthy();
  });

  it('makes the paste box the main action for a non-loopback redirect URI', () => {
    desk.sessions = { p1: session('waiting', { handoff: handoff({ pasteOnly: true }) }) };
    render(FlowTab);
    const box = screen.getByTestId('paste-box');
    expect(box.classList.contains('main')).toBe(true);
    expect(screen.getByTestId('waiting-row').textContent).toContain('Waiting for the address from your browser');
    expect(screen.getByLabelText('Paste the address the browser ended on')).toBeTruthy();
  });

  it('offers the paste after a timeout until pasteUntil', () => {
    desk.sessions = {
      p1: session('error', {
        handoff: handoff({ pasteUntil: new Date(T0 + 9 * 60_000 + 5_000).toISOString() }),
        error: { message: 'No answer from the browser after 5 minutes.', code: '', description: '', kind: 'timeout', origins: [] },
      }),
    };
    desk.traces = { p1: [] };
    render(FlowTab);
    expect(screen.queryByTestId('waiting-row')).toBeNull();
    expect(screen.getByTestId('late-paste').textContent).toContain('could not come back');
    expect(screen.getByTestId('paste-until').textContent).toContain('9:05 left');
  });
});

describe('Paste box', () => {
  it('submits on paste and shows the refusal reason inline', async () => {
    render(PasteBox, { profileId: 'p1' });
    const input = screen.getByTestId('paste-input');
    await fireEvent.paste(input, { clipboardData: { getData: () => ' http://127.0.0.1:5000/callback?code=c&state=wrong ' } });
    const refusal = await screen.findByTestId('paste-refusal');
    expect(refusal.getAttribute('role')).toBe('alert');
    expect(refusal.textContent).toContain(STATE_REFUSAL);
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(b.callsTo('PasteRedirect')).toEqual([['p1', 'http://127.0.0.1:5000/callback?code=c&state=wrong']]);
  });

  it('submits a typed query with Continue and says it was accepted', async () => {
    render(PasteBox, { profileId: 'p1' });
    await fireEvent.input(screen.getByTestId('paste-input'), { target: { value: '?code=c&state=abc' } });
    await fireEvent.click(screen.getByTestId('paste-submit'));
    expect(await screen.findByTestId('paste-accepted')).toBeTruthy();
    expect(screen.queryByTestId('paste-refusal')).toBeNull();
    expect(b.callsTo('PasteRedirect')).toEqual([['p1', '?code=c&state=abc']]);
    expect((screen.getByTestId('paste-input') as HTMLInputElement).disabled).toBe(true);
  });

  it('says when no sign-in is waiting', async () => {
    b = installBridge({
      PasteRedirect: () => {
        throw 'no sign-in is waiting for a redirect';
      },
    });
    render(PasteBox, { profileId: 'p1' });
    await fireEvent.input(screen.getByTestId('paste-input'), { target: { value: 'code=c&state=abc' } });
    await fireEvent.submit(screen.getByTestId('paste-box'));
    expect((await screen.findByTestId('paste-refusal')).textContent).toContain('no sign-in is waiting');
  });
});

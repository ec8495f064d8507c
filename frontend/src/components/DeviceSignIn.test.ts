import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import FlowTab from './FlowTab.svelte';
import DeviceSignIn from './DeviceSignIn.svelte';
import { desk } from '../lib/desk.svelte';
import type { Device } from '../lib/api';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { event, profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';

const T0 = Date.parse('2026-11-25T13:00:00Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();

function device(over: Partial<Device> = {}): Device {
  return {
    userCode: 'WDJB-MJHT',
    verificationUri: 'http://127.0.0.1:53120/device',
    verificationUriComplete: 'http://127.0.0.1:53120/device?user_code=WDJB-MJHT',
    expiresAt: at(9 * 60_000 + 52_000),
    interval: 5,
    qr: { size: 33, path: 'M4 4h7v1h-7zM4 5h1v1h-1z' },
    ...over,
  };
}

let b: FakeBridge;
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(T0);
  b = installBridge();
  resetDesk([profile({ grant: 'device_code' })], session('waiting', { grant: 'device_code', device: device() }));
});
afterEach(() => {
  vi.useRealTimers();
  removeBridge();
});

describe('Device sign-in screen', () => {
  it('shows the user code, the verification URI, the QR code and the time left', () => {
    render(FlowTab);
    expect(screen.getByTestId('device-user-code').textContent).toBe('WDJB-MJHT');
    expect(screen.getByTestId('device-verification-uri').textContent).toBe('http://127.0.0.1:53120/device');
    const svg = screen.getByTestId('device-qr');
    expect(svg.getAttribute('viewBox')).toBe('0 0 33 33');
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toMatch(/QR code/);
    expect(svg.querySelector('path')?.getAttribute('d')).toBe('M4 4h7v1h-7zM4 5h1v1h-1z');
    expect(screen.getByTestId('device-countdown').textContent).toContain('9:52');
    expect(screen.getByTestId('device-polling').textContent).toContain('every 5 s');
    // The device card holds Cancel: no second browser waiting row.
    expect(screen.queryByTestId('waiting-row')).toBeNull();
  });

  it('opens the link with the code filled in, copies the code, and cancels', async () => {
    render(FlowTab);
    await fireEvent.click(screen.getByTestId('device-open'));
    expect(b.callsTo('OpenInBrowser')).toEqual([['http://127.0.0.1:53120/device?user_code=WDJB-MJHT']]);
    await fireEvent.click(screen.getByTestId('device-copy-code'));
    await fireEvent.click(screen.getByTestId('device-copy-link'));
    await waitFor(() => expect(b.clipboard).toEqual(['WDJB-MJHT', 'http://127.0.0.1:53120/device?user_code=WDJB-MJHT']));
    await fireEvent.click(screen.getByTestId('device-cancel'));
    expect(b.callsTo('CancelSignIn')).toEqual([['p1']]);
  });

  it('falls back to the plain verification URI and says when the code has expired', () => {
    render(DeviceSignIn, { device: device({ verificationUriComplete: '', expiresAt: at(-1000) }), profileId: 'p1' });
    expect(screen.getByTestId('device-countdown').textContent).toBe('Expired');
    expect(screen.getByTestId('device-polling').textContent).toContain('expired');
    void fireEvent.click(screen.getByTestId('device-open'));
    expect(b.callsTo('OpenInBrowser')).toEqual([['http://127.0.0.1:53120/device']]);
  });

  it('shows hostile text as text and draws no QR without a path', () => {
    const { container } = render(DeviceSignIn, { device: device({ userCode: XSS, verificationUri: XSS, qr: { size: 0, path: '' } }), profileId: 'p1' });
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('device-user-code').textContent).toBe(XSS);
    expect(screen.queryByTestId('device-qr')).toBeNull();
  });

  it('ends a denied or expired sign-in with the reason and "Start again"', async () => {
    desk.sessions = {
      p1: session('error', {
        grant: 'device_code',
        error: { message: 'The code expired before it was approved. Start again.', code: 'expired_token', description: '', kind: 'timeout', origins: [] },
      }),
    };
    desk.traces = { p1: [event(0, { step: 'device', status: 'fail', title: 'expired' })] };
    b = installBridge({ SignIn: () => session('waiting', { grant: 'device_code', device: device() }) });
    render(FlowTab);
    const ended = screen.getByTestId('device-ended');
    expect(ended.textContent).toContain('The code expired before anyone approved it.');
    expect(ended.textContent).toContain('new code');
    await fireEvent.click(screen.getByTestId('device-start-again'));
    expect(b.callsTo('SignIn')).toEqual([['p1']]);

    desk.sessions = {
      p1: session('error', { grant: 'device_code', error: { message: 'Denied.', code: 'access_denied', description: '', kind: 'provider', origins: [] } }),
    };
    await waitFor(() => expect(screen.getByTestId('device-ended').textContent).toContain('denied on the other device'));
  });

  it('tells the device grant\'s own story before the first sign-in', () => {
    resetDesk([profile({ grant: 'device_code' })], session('signed_out'));
    render(FlowTab);
    const steps = [...screen.getByTestId('flow-preview').querySelectorAll('li strong')].map((e) => e.textContent);
    expect(steps).toContain('Device code');
    expect(screen.getByTestId('flow-preview').textContent).toContain('no nonce');
  });
});

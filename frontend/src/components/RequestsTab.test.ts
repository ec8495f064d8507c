import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import RequestsTab from './RequestsTab.svelte';
import { installBridge, removeBridge, type FakeBridge } from '../test/bridge';
import { profile, session, XSS } from '../test/fixtures';
import { resetDesk } from '../test/reset';
import type { RequestSpec } from '../lib/api';

function response(over: Record<string, unknown> = {}) {
  return {
    requestId: 'r',
    status: 200,
    statusText: 'OK',
    proto: 'HTTP/1.1',
    headers: [{ key: 'X-Evil', value: XSS, enabled: true }],
    bodyKind: 'json',
    body: `{"html":"${XSS}","n":12345678901234567890}`,
    prettyBody: '',
    hexBody: '',
    size: 60,
    totalSize: 60,
    truncated: false,
    timings: { dnsMs: -1, connectMs: 1, tlsMs: -1, firstByteMs: 5, totalMs: 9 },
    notices: [],
    error: null,
    needsInsecureConsent: false,
    ...over,
  };
}

let b: FakeBridge;
afterEach(removeBridge);

describe('Requests tab', () => {
  beforeEach(() => {
    b = installBridge({ Send: () => response() });
    resetDesk([profile()], session('signed_in'));
  });

  it('starts from the profile API base and invites the first request', () => {
    render(RequestsTab);
    expect((screen.getByTestId('request-url') as HTMLInputElement).value).toBe('http://127.0.0.1:53120/api/me');
    expect(screen.getByTestId('requests-empty').textContent).toContain('Send your first request — try GET http://127.0.0.1:53120/api/me.');
  });

  it('Ctrl+Enter sends the request with a fresh id and the token attached', async () => {
    render(RequestsTab);
    expect(await fireEvent.keyDown(screen.getByTestId('request-url'), { key: 'Enter', ctrlKey: true })).toBe(false); // taken as Send
    await screen.findByTestId('response-status');
    const sent = b.callsTo('Send');
    expect(sent).toHaveLength(1);
    const spec = sent[0][0] as RequestSpec;
    expect(spec.method).toBe('GET');
    expect(spec.url).toBe('http://127.0.0.1:53120/api/me');
    expect(spec.profileId).toBe('p1');
    expect(spec.attachToken).toBe(true);
    expect(spec.allowInsecure).toBe(false);
    expect(spec.id).toMatch(/^[0-9a-f]{24}$/);
    // Plain Enter is left alone; the next Ctrl+Enter is the second send.
    expect(await fireEvent.keyDown(screen.getByTestId('request-url'), { key: 'Enter' })).toBe(true);
    await fireEvent.keyDown(screen.getByTestId('request-url'), { key: 'Enter', ctrlKey: true });
    await waitFor(() => expect(b.callsTo('Send')).toHaveLength(2));
    expect(new Set(b.callsTo('Send').map((a) => (a[0] as RequestSpec).id)).size).toBe(2);
  });

  it('shows the response with untrusted text as text only', async () => {
    const { container } = render(RequestsTab);
    await fireEvent.click(screen.getByTestId('send-button'));
    const status = await screen.findByTestId('response-status');
    expect(status.textContent).toContain('200 OK');
    const body = screen.getByTestId('response-body');
    expect(body.textContent).toContain(XSS);
    expect(body.textContent).toContain('12345678901234567890');
    expect(container.querySelector('img')).toBeNull();
    expect(screen.getByTestId('response-headers').hidden).toBe(true);
    await fireEvent.click(screen.getByTestId('resp-headers'));
    expect(screen.getByTestId('response-headers').hidden).toBe(false);
    expect(screen.getByTestId('response-body').hidden).toBe(true);
    expect(screen.getByTestId('response-headers').textContent).toContain(XSS);
    await fireEvent.click(screen.getByTestId('resp-timing'));
    expect(screen.getByTestId('response-timing').textContent).toContain('—');
    expect(container.querySelector('img')).toBeNull();
  });

  it('turns Send into Cancel while in flight, and Cancel cancels that request', async () => {
    let finish: (v: unknown) => void = () => {};
    b = installBridge({ Send: () => new Promise((r) => (finish = r)) });
    render(RequestsTab);
    await fireEvent.click(screen.getByTestId('send-button'));
    const btn = screen.getByTestId('send-button');
    expect(btn.dataset.state).toBe('cancel');
    await fireEvent.click(btn);
    const id = (b.callsTo('Send')[0][0] as RequestSpec).id;
    expect(b.callsTo('CancelSend')).toEqual([[id]]);
    finish(response({ status: 0, error: { message: 'Canceled.', code: '', description: '', kind: 'canceled' } }));
    expect((await screen.findByTestId('request-error')).textContent).toContain('Canceled.');
    await waitFor(() => expect(screen.getByTestId('send-button').dataset.state).toBe('send'));
  });

  it('asks before sending a token over plain http, then resends with consent', async () => {
    let n = 0;
    b = installBridge({ Send: () => (n++ === 0 ? response({ needsInsecureConsent: true, status: 0 }) : response()) });
    render(RequestsTab);
    await fireEvent.click(screen.getByTestId('send-button'));
    const ok = await screen.findByTestId('confirm-ok');
    expect(screen.getByTestId('confirm-dialog').textContent).toContain('plain http');
    await fireEvent.click(ok);
    await screen.findByTestId('response-status');
    const specs = b.callsTo('Send').map((a) => a[0] as RequestSpec);
    expect(specs.map((s) => s.allowInsecure)).toEqual([false, true]);
  });

  it('loads a history entry into the editor', async () => {
    b = installBridge({
      History: () => [
        { id: 'h1', time: new Date().toISOString(), method: 'POST', url: 'http://127.0.0.1:53120/api/echo', status: 201, durationMs: 5, size: 2, spec: { method: 'POST', url: 'http://127.0.0.1:53120/api/echo', params: [], headers: [], bodyType: 'json', body: '{}', form: [], attachToken: false } },
      ],
    });
    render(RequestsTab);
    const item = await screen.findByTestId('history-item');
    expect(item.textContent).toContain('/api/echo');
    await fireEvent.click(item);
    expect((screen.getByTestId('request-url') as HTMLInputElement).value).toBe('http://127.0.0.1:53120/api/echo');
    expect((screen.getByTestId('request-method') as HTMLSelectElement).value).toBe('POST');
  });

  it('copies as curl with the token masked unless real is chosen', async () => {
    b = installBridge({ Curl: (_s: unknown, reveal: boolean) => (reveal ? 'curl real' : 'curl masked') });
    render(RequestsTab);
    await fireEvent.click(screen.getByTestId('curl-button'));
    await fireEvent.click(screen.getByTestId('curl-masked'));
    await waitFor(() => expect(b.clipboard).toEqual(['curl masked']));
    expect(b.callsTo('Curl').map((a) => a[1])).toEqual([false]);
  });
});

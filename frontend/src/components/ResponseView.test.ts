import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import ResponseView from './ResponseView.svelte';
import type { Response } from '../lib/api';

function response(over: Partial<Response> = {}): Response {
  return {
    requestId: 'r',
    status: 200,
    statusText: 'OK',
    proto: 'HTTP/1.1',
    headers: [],
    bodyKind: 'json',
    body: '{"a":1}',
    prettyBody: '',
    hexBody: '',
    size: 7,
    totalSize: 7,
    truncated: false,
    timings: { dnsMs: -1, connectMs: 1, tlsMs: -1, firstByteMs: 5, totalMs: 9 },
    notices: [],
    error: null,
    needsInsecureConsent: false,
    ...over,
  } as Response;
}

const cutNotice = 'The body is 50 MiB: the first 10 MiB (the size limit) was received and is shown; the rest was cut off, not downloaded.';

describe('ResponseView', () => {
  it('says once that a body was cut, and shows its JSON up to the cut', () => {
    render(ResponseView, {
      response: response({ body: '{"items":[{"id":1},{"id":2},{"i', size: 10 << 20, totalSize: 50 << 20, truncated: true, notices: [cutNotice] }),
    });
    const notices = document.querySelectorAll('.warn-box');
    expect(notices).toHaveLength(1);
    expect(screen.getByTestId('truncated-notice').textContent).toContain(cutNotice);
    expect(screen.getByTestId('truncated-notice').textContent).toContain('Copy as curl');
    expect(screen.getByTestId('response-json').textContent).toContain('"id": 2');
    expect(screen.getByTestId('response-json-cut')).toBeTruthy();
  });

  it('shows other notices as they come, each once', () => {
    render(ResponseView, { response: response({ bodyKind: 'text', body: 'caf\uFFFD', notices: ['The body is not valid UTF-8.'] }) });
    expect(document.querySelectorAll('.warn-box')).toHaveLength(1);
    expect(screen.getByTestId('response-notice').textContent).toBe('The body is not valid UTF-8.');
    expect(screen.queryByTestId('truncated-notice')).toBeNull();
  });

  it('says a body was cut even without a notice from Go', () => {
    render(ResponseView, { response: response({ bodyKind: 'text', body: 'abc', size: 3, totalSize: -1, truncated: true }) });
    expect(screen.getByTestId('truncated-notice').textContent).toContain('cut off');
  });

  it('shows a small text body as one block, and a large one a screenful at a time', () => {
    const { unmount } = render(ResponseView, { response: response({ bodyKind: 'text', body: 'line 1\nline 2' }) });
    expect(screen.getByTestId('response-text').tagName).toBe('PRE');
    expect(screen.getByTestId('response-text').textContent).toBe('line 1\nline 2');
    unmount();
    const big = Array.from({ length: 100000 }, (_, i) => `line ${i}`).join('\n');
    render(ResponseView, { response: response({ bodyKind: 'text', body: big }) });
    const v = screen.getByTestId('response-text');
    expect(v.dataset.lines).toBe('100000');
    expect(v.querySelectorAll('.tline').length).toBeLessThan(100);
    expect(v.textContent).toContain('line 0');
  });

  it('keeps the hex dump for binary bodies', () => {
    render(ResponseView, { response: response({ bodyKind: 'binary', body: '', hexBody: '00000000  89 50 4e 47', notices: ['Binary body: shown as hex.'] }) });
    expect(screen.getByTestId('response-body').textContent).toContain('89 50 4e 47');
    expect(screen.getByText('Binary content, shown as hex.')).toBeTruthy();
  });
});

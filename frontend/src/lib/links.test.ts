import { describe, expect, it } from 'vitest';
import { interceptLinks } from './links';

describe('interceptLinks', () => {
  it('sends http(s) links to the system browser and never navigates', () => {
    const opened: string[] = [];
    const root = document.createElement('div');
    const a = document.createElement('a');
    a.href = 'https://provider.example/docs?x=1';
    a.textContent = 'docs';
    const span = document.createElement('span');
    a.appendChild(span);
    root.appendChild(a);
    document.body.appendChild(root);
    const off = interceptLinks(root, (u) => opened.push(u));

    const ev = new MouseEvent('click', { bubbles: true, cancelable: true });
    span.dispatchEvent(ev);
    expect(ev.defaultPrevented).toBe(true);
    expect(opened).toEqual(['https://provider.example/docs?x=1']);

    a.setAttribute('href', 'javascript:alert(1)');
    const ev2 = new MouseEvent('click', { bubbles: true, cancelable: true });
    a.dispatchEvent(ev2);
    expect(ev2.defaultPrevented).toBe(true);
    expect(opened).toHaveLength(1);

    off();
    root.remove();
  });
});

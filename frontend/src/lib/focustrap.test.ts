import { afterEach, describe, expect, it } from 'vitest';
import { focusables, trapTab } from './focustrap';

type Spec = [tag: string, attrs?: Record<string, string>, children?: Spec[]];

// box builds a <div> of elements from specs (no HTML strings: see safety.test.ts).
function box(...specs: Spec[]): HTMLElement {
  const make = ([tag, attrs = {}, children = []]: Spec): HTMLElement => {
    const el = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    el.append(...children.map(make));
    return el;
  };
  const div = make(['div', {}, specs]);
  document.body.append(div);
  return div;
}

function tab(shiftKey = false, extra: KeyboardEventInit = {}): KeyboardEvent {
  return new KeyboardEvent('keydown', { key: 'Tab', shiftKey, cancelable: true, ...extra });
}

afterEach(() => {
  document.body.replaceChildren();
});

describe('focustrap', () => {
  it('lists only controls Tab can reach', () => {
    const c = box(
      ['a', { id: 'a', href: '#x' }],
      ['a', { id: 'noref' }],
      ['button', { id: 'b' }],
      ['button', { id: 'dis', disabled: '' }],
      ['input', { id: 'i' }],
      ['input', { id: 'h', type: 'hidden' }],
      ['div', { id: 't0', tabindex: '0' }],
      ['div', { id: 'tm', tabindex: '-1' }],
      ['div', { inert: '' }, [['button', { id: 'inert' }]]],
    );
    expect(focusables(c).map((e) => e.id)).toEqual(['a', 'b', 'i', 't0']);
  });

  it('wraps at both ends and leaves the middle to the browser', () => {
    const c = box(['button', { id: 'one' }], ['button', { id: 'two' }], ['button', { id: 'three' }]);
    const [one, two, three] = ['one', 'two', 'three'].map((id) => document.getElementById(id)!);
    three.focus();
    let e = tab();
    expect(trapTab(c, e)).toBe(true);
    expect(e.defaultPrevented).toBe(true);
    expect(document.activeElement).toBe(one);
    e = tab(true);
    expect(trapTab(c, e)).toBe(true);
    expect(document.activeElement).toBe(three);
    two.focus();
    e = tab();
    expect(trapTab(c, e)).toBe(false);
    expect(e.defaultPrevented).toBe(false);
    expect(document.activeElement).toBe(two);
  });

  it('pulls focus back in from outside and holds it when there is nothing to focus', () => {
    const outside = box(['button', { id: 'out' }]);
    const c = box(['button', { id: 'first' }], ['button', { id: 'last' }]);
    document.getElementById('out')!.focus();
    expect(trapTab(c, tab(true))).toBe(true);
    expect(document.activeElement?.id).toBe('last');
    const empty = box(['p']);
    const e = tab();
    expect(trapTab(empty, e)).toBe(true);
    expect(e.defaultPrevented).toBe(true);
    expect(outside.isConnected).toBe(true);
  });

  it('ignores other keys and Tab with a modifier', () => {
    const c = box(['button', { id: 'only' }]);
    document.getElementById('only')!.focus();
    expect(trapTab(c, new KeyboardEvent('keydown', { key: 'Enter', cancelable: true }))).toBe(false);
    expect(trapTab(c, tab(false, { ctrlKey: true }))).toBe(false);
    expect(trapTab(c, tab())).toBe(true);
  });
});

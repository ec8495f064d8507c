import { afterEach, describe, expect, it } from 'vitest';
import { blockDropNavigation } from './nodrop';

// jsdom has no DragEvent: a plain cancelable Event with a dataTransfer stand-in.
function drag(type: 'dragover' | 'drop', types: string[]): Event & { dataTransfer: { types: string[]; dropEffect: string } } {
  const e = new Event(type, { bubbles: true, cancelable: true });
  Object.defineProperty(e, 'dataTransfer', { value: { types, dropEffect: 'copy' } });
  return e as Event & { dataTransfer: { types: string[]; dropEffect: string } };
}

describe('blockDropNavigation', () => {
  let off = () => {};
  afterEach(() => {
    off();
    document.body.replaceChildren();
  });

  it('cancels a dropped link or file anywhere on the page', () => {
    off = blockDropNavigation(window);
    const div = document.createElement('div');
    document.body.append(div);
    for (const types of [['text/uri-list', 'text/plain'], ['Files'], []]) {
      const over = drag('dragover', types);
      div.dispatchEvent(over);
      expect(over.defaultPrevented).toBe(true);
      expect(over.dataTransfer.dropEffect).toBe('none');
      const drop = drag('drop', types);
      div.dispatchEvent(drop);
      expect(drop.defaultPrevented).toBe(true);
    }
  });

  it('holds even when a component stops the event from bubbling', () => {
    off = blockDropNavigation(window);
    const div = document.createElement('div');
    div.addEventListener('drop', (e) => e.stopPropagation());
    document.body.append(div);
    const drop = drag('drop', ['text/uri-list']);
    div.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(true);
  });

  it('lets text land in a text field but never a file', () => {
    off = blockDropNavigation(window);
    const input = document.createElement('input');
    input.type = 'url';
    document.body.append(input);
    const text = drag('drop', ['text/plain']);
    input.dispatchEvent(text);
    expect(text.defaultPrevented).toBe(false);
    const file = drag('drop', ['Files']);
    input.dispatchEvent(file);
    expect(file.defaultPrevented).toBe(true);
    const box = document.createElement('input');
    box.type = 'checkbox';
    document.body.append(box);
    const onBox = drag('drop', ['text/plain']);
    box.dispatchEvent(onBox);
    expect(onBox.defaultPrevented).toBe(true);
  });

  it('is installed by the app entry point', async () => {
    const { readFileSync } = await import('node:fs');
    // Vitest runs with the frontend folder as its root.
    const main = readFileSync(`${process.cwd()}/src/main.ts`, 'utf8');
    expect(main).toMatch(/blockDropNavigation\(window\)/);
  });

  it('removes its handlers', () => {
    blockDropNavigation(window)();
    const drop = drag('drop', ['Files']);
    document.body.dispatchEvent(drop);
    expect(drop.defaultPrevented).toBe(false);
  });
});

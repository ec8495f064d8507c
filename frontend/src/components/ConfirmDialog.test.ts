import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import ConfirmHarness from '../test/ConfirmHarness.svelte';

// jsdom has <dialog> but no showModal()/close(); these tests cover both the
// fallback (no showModal: the component's own Tab trap) and, with a fake
// showModal, that the native modal is opened and closed.

let answers: string[];

async function openDialog() {
  render(ConfirmHarness, { props: { answers } });
  const opener = screen.getByTestId('opener');
  opener.focus();
  await fireEvent.click(opener);
  return { opener, dialog: screen.getByTestId('confirm-dialog') as HTMLDialogElement };
}

beforeEach(() => {
  answers = [];
});

describe('Confirm dialog', () => {
  it('opens as an alert dialog with focus on Cancel, the safe choice', async () => {
    const { dialog } = await openDialog();
    expect(dialog.tagName).toBe('DIALOG');
    expect(dialog.open).toBe(true);
    expect(dialog.getAttribute('role')).toBe('alertdialog');
    expect(document.getElementById(dialog.getAttribute('aria-labelledby')!)?.textContent).toBe('Delete it?');
    expect(document.getElementById(dialog.getAttribute('aria-describedby')!)?.textContent).toContain('cannot be undone');
    expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
  });

  it('keeps Tab and Shift+Tab inside the dialog', async () => {
    const { dialog } = await openDialog();
    const link = screen.getByTestId('why-link');
    const cancel = screen.getByTestId('confirm-cancel');
    const ok = screen.getByTestId('confirm-ok');

    // Tab on the last control wraps to the first one.
    ok.focus();
    expect(await fireEvent.keyDown(ok, { key: 'Tab' })).toBe(false); // default move canceled
    expect(document.activeElement).toBe(link);

    // Shift+Tab on the first control wraps to the last one.
    expect(await fireEvent.keyDown(link, { key: 'Tab', shiftKey: true })).toBe(false);
    expect(document.activeElement).toBe(ok);

    // In the middle the browser moves focus as usual.
    cancel.focus();
    expect(await fireEvent.keyDown(cancel, { key: 'Tab' })).toBe(true);
    expect(await fireEvent.keyDown(cancel, { key: 'Tab', shiftKey: true })).toBe(true);
    expect(document.activeElement).toBe(cancel);

    // Focus that got out (a click on the dialog's padding) comes back in on Tab.
    screen.getByTestId('elsewhere').focus();
    expect(await fireEvent.keyDown(dialog, { key: 'Tab' })).toBe(false);
    expect(document.activeElement).toBe(link);
    expect(answers).toEqual([]);
  });

  it('closes on Escape as Cancel and gives focus back to the opener', async () => {
    const { opener } = await openDialog();
    expect(await fireEvent.keyDown(screen.getByTestId('confirm-cancel'), { key: 'Escape' })).toBe(false);
    expect(answers).toEqual(['cancel']);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('gives focus back to the opener after Cancel and after the action', async () => {
    const { opener } = await openDialog();
    await fireEvent.click(screen.getByTestId('confirm-cancel'));
    expect(document.activeElement).toBe(opener);
    await fireEvent.click(opener);
    await fireEvent.click(screen.getByTestId('confirm-ok'));
    expect(answers).toEqual(['cancel', 'confirm']);
    expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    expect(document.activeElement).toBe(opener);
  });

  it('keeps page shortcuts such as Ctrl+Enter from firing behind it', async () => {
    const onWindowKey = vi.fn();
    window.addEventListener('keydown', onWindowKey);
    try {
      await openDialog();
      await fireEvent.keyDown(screen.getByTestId('confirm-cancel'), { key: 'Enter', ctrlKey: true });
      expect(onWindowKey).not.toHaveBeenCalled();
      await fireEvent.keyDown(screen.getByTestId('opener'), { key: 'Enter', ctrlKey: true });
      expect(onWindowKey).toHaveBeenCalledTimes(1);
    } finally {
      window.removeEventListener('keydown', onWindowKey);
    }
  });

  describe('with a native modal dialog', () => {
    const proto = HTMLDialogElement.prototype as unknown as Record<string, unknown>;
    let showModal: ReturnType<typeof vi.fn>;
    let close: ReturnType<typeof vi.fn>;

    beforeEach(() => {
      // Enough of the HTML modal dialog for the component: open/close the attribute.
      showModal = vi.fn(function (this: HTMLDialogElement) {
        this.setAttribute('open', '');
      });
      close = vi.fn(function (this: HTMLDialogElement) {
        this.removeAttribute('open');
      });
      proto.showModal = showModal;
      proto.close = close;
    });
    afterEach(() => {
      delete proto.showModal;
      delete proto.close;
    });

    it('opens with showModal() and closes with close() before focus goes back', async () => {
      const { opener, dialog } = await openDialog();
      expect(showModal).toHaveBeenCalledTimes(1);
      expect(showModal.mock.contexts[0]).toBe(dialog);
      expect(document.activeElement).toBe(screen.getByTestId('confirm-cancel'));
      await fireEvent.click(screen.getByTestId('confirm-cancel'));
      expect(close).toHaveBeenCalledTimes(1);
      expect(document.activeElement).toBe(opener);
    });

    it('turns the engine’s own close request (cancel event) into Cancel', async () => {
      const { dialog } = await openDialog();
      const req = new Event('cancel', { cancelable: true });
      dialog.dispatchEvent(req);
      expect(req.defaultPrevented).toBe(true);
      expect(answers).toEqual(['cancel']);
      await Promise.resolve();
      expect(screen.queryByTestId('confirm-dialog')).toBeNull();
    });
  });
});

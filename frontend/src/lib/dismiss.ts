// dismiss is a Svelte action for pop-up menus: it calls `close` when the
// user presses Escape or clicks anywhere outside the node.

/** dismiss closes a menu on Escape or an outside pointer press. */
export function dismiss(node: HTMLElement, close: () => void) {
  let onClose = close;
  const onPointer = (e: PointerEvent | MouseEvent) => {
    if (!node.contains(e.target as Node)) onClose();
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape') onClose();
  };
  document.addEventListener('pointerdown', onPointer, true);
  document.addEventListener('keydown', onKey, true);
  return {
    update(next: () => void) {
      onClose = next;
    },
    destroy() {
      document.removeEventListener('pointerdown', onPointer, true);
      document.removeEventListener('keydown', onKey, true);
    },
  };
}

// focustrap keeps keyboard focus inside a modal while it is open: Tab from
// the last control wraps to the first and Shift+Tab from the first wraps to
// the last (WAI-ARIA Authoring Practices, "Dialog (Modal) Pattern").
//
// A native <dialog> opened with showModal() already makes the rest of the
// page inert; this trap also covers the wrap at the dialog's edges, where
// engines differ (some move focus out to the browser chrome), and keeps
// focus in when showModal() is missing.

const focusableSelector = [
  'a[href]',
  'button:not([disabled])',
  'input:not([disabled]):not([type="hidden"])',
  'select:not([disabled])',
  'textarea:not([disabled])',
  '[tabindex]:not([tabindex="-1"])',
  '[contenteditable="true"]',
].join(',');

/** focusables lists the controls inside container that Tab can reach, in document order. */
export function focusables(container: HTMLElement): HTMLElement[] {
  return Array.from(container.querySelectorAll<HTMLElement>(focusableSelector)).filter(
    (el) => !el.hasAttribute('inert') && !el.closest('[inert]') && el.tabIndex >= 0,
  );
}

/**
 * trapTab handles one keydown inside container: for Tab or Shift+Tab that
 * would leave it, it moves focus to the other end and cancels the default
 * move, returning true. Focus outside container is pulled back to its first
 * control. Every other key is left alone and trapTab returns false.
 */
export function trapTab(container: HTMLElement, e: KeyboardEvent): boolean {
  if (e.key !== 'Tab' || e.altKey || e.ctrlKey || e.metaKey) return false;
  const list = focusables(container);
  if (list.length === 0) {
    // Nothing to move to: keep focus where it is rather than let it escape.
    e.preventDefault();
    return true;
  }
  const first = list[0];
  const last = list[list.length - 1];
  const active = document.activeElement;
  const inside = active instanceof HTMLElement && container.contains(active);
  let target: HTMLElement | null = null;
  if (!inside) target = e.shiftKey ? last : first;
  else if (e.shiftKey && (active === first || active === container)) target = last;
  else if (!e.shiftKey && active === last) target = first;
  if (!target) return false;
  e.preventDefault();
  target.focus();
  return true;
}

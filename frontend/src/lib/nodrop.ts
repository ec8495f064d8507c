// A link, text or file dropped on the window must never navigate the webview
// away from the app (security rule 28). Go turns Wails' own webview drop off;
// this is the page's half of the defence: the drag's default action is
// cancelled on the window, so the engine never opens what was dropped.

/** editable says whether el takes typed text, where a dropped text is just text. */
function editable(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement) return !el.disabled && !el.readOnly;
  if (el instanceof HTMLInputElement) {
    const textual = ['text', 'search', 'url', 'email', 'tel', 'password', 'number', ''];
    return textual.includes(el.type) && !el.disabled && !el.readOnly;
  }
  return false;
}

function carriesFiles(e: Event): boolean {
  const types = (e as DragEvent).dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

/**
 * blockDropNavigation cancels the default action of every dragover and drop
 * that reaches the window, so nothing dropped anywhere on the page is opened.
 * Text dropped into a text field still lands there (the field's own default);
 * files never do. It returns a function that removes the handlers.
 */
export function blockDropNavigation(win: Window): () => void {
  const handler = (e: Event) => {
    if (editable(e.target) && !carriesFiles(e)) return;
    e.preventDefault();
    const dt = (e as DragEvent).dataTransfer;
    if (dt && e.type === 'dragover') dt.dropEffect = 'none';
  };
  // Capture phase: a component that stops propagation cannot let a drop through.
  win.addEventListener('dragover', handler, true);
  win.addEventListener('drop', handler, true);
  return () => {
    win.removeEventListener('dragover', handler, true);
    win.removeEventListener('drop', handler, true);
  };
}

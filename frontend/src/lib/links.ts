// Links never navigate the webview (security rule 28): every <a href> click is
// intercepted and http(s) links go to the system browser through Go.

/**
 * interceptLinks installs one capturing click handler on `root` that cancels
 * navigation for every anchor and hands http(s) URLs to `open`. It returns
 * a function that removes the handler.
 */
export function interceptLinks(root: Document | HTMLElement, open: (url: string) => void): () => void {
  const handler = (ev: Event) => {
    const target = ev.target as Element | null;
    const a = target?.closest?.('a[href]') as HTMLAnchorElement | null;
    if (!a) return;
    const href = a.getAttribute('href') ?? '';
    // In-page anchors stay (they do not navigate away).
    if (href.startsWith('#')) return;
    ev.preventDefault();
    let url: URL;
    try {
      url = new URL(href, 'http://invalid.invalid/');
    } catch {
      return;
    }
    if ((url.protocol === 'https:' || url.protocol === 'http:') && url.host !== 'invalid.invalid') {
      open(url.href);
    }
  };
  root.addEventListener('click', handler, true);
  return () => root.removeEventListener('click', handler, true);
}

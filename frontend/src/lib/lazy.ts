// lazy loads a view's code the first time it is shown, so the start-up
// bundle holds only what the first screen needs (the sidebar, the header and
// the Flow tab) and WebKit parses less before the first paint (make bench).

import type { Component } from 'svelte';

/** ViewModule is what `import('./X.svelte')` resolves to. */
export interface ViewModule {
  default: Component;
}

/**
 * LazyView loads one module at most once. `loaded` is set once the import
 * resolved, so showing the view again renders it synchronously, with no
 * loading frame. A failed import is not cached: the next `load` retries.
 */
export interface LazyView {
  readonly loaded: ViewModule | undefined;
  load(): Promise<ViewModule>;
}

/** lazy wraps a dynamic import (`() => import('./X.svelte')`) as a LazyView. */
export function lazy(importer: () => Promise<ViewModule>): LazyView {
  let pending: Promise<ViewModule> | undefined;
  const view: { loaded: ViewModule | undefined; load(): Promise<ViewModule> } = {
    loaded: undefined,
    load() {
      pending ??= importer().then(
        (mod) => (view.loaded = mod),
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
      return pending;
    },
  };
  return view;
}

// The authorization parameters PKCE Desk sets itself (state, nonce, the PKCE
// pair, …) may not be typed in as a profile's extra parameters. Go owns the
// list (App.ReservedParams); this asks for it once and answers the editor's
// "is this key allowed?" as the user types. Go still refuses them on save.

import { api } from './api';

/** Reserved is the reserved-name list, loaded from Go on first use. */
export class Reserved {
  names = $state<ReadonlySet<string>>(new Set());
  private loading: Promise<void> | null = null;

  /** load asks Go for the list once; a failed ask is tried again on the next load. */
  load(): Promise<void> {
    this.loading ??= api.reservedParams().then(
      (names) => {
        this.names = new Set(names.map((n) => n.trim().toLowerCase()));
      },
      () => {
        this.loading = null; // Go's own check on save still holds
      },
    );
    return this.loading;
  }

  /** problem says why key cannot be an extra parameter, or '' when it can. */
  problem(key: string): string {
    const k = key.trim();
    if (!k || !this.names.has(k.toLowerCase())) return '';
    return `PKCE Desk sets “${k}” itself: an extra parameter may not replace it. Remove this row or use another name.`;
  }

  /** reset forgets the list (tests). */
  reset(): void {
    this.names = new Set();
    this.loading = null;
  }
}

/** reserved is the app's one copy of the list. */
export const reserved = new Reserved();

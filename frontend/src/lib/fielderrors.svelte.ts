// FieldErrors holds the editor's validation messages from Go and knows which
// fields are on screen to show theirs: a message for a field that is not
// shown (a hidden client secret, a field Go added before the editor did) is
// listed at the top of the editor instead of being lost.

import { untrack } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { FieldError } from './api';
import { fieldKey, type FieldName } from './fields';

export class FieldErrors {
  /** list is Go's latest answer (ValidateProfile or SaveProfile). */
  list = $state<FieldError[]>([]);
  #shown = new SvelteSet<string>();
  #slots = new Map<string, number>();

  /** for is the messages for one field, in Go's order. */
  for(field: FieldName): string[] {
    return this.list.filter((e) => fieldKey(e.field) === field).map((e) => e.message);
  }

  /**
   * show marks a field's messages as shown beside it (one call per slot on
   * screen) and returns the function that takes the mark back.
   */
  show(field: FieldName): () => void {
    untrack(() => {
      const n = (this.#slots.get(field) ?? 0) + 1;
      this.#slots.set(field, n);
      if (n === 1) this.#shown.add(field);
    });
    let done = false;
    return () => {
      if (done) return;
      done = true;
      untrack(() => {
        const n = (this.#slots.get(field) ?? 1) - 1;
        if (n > 0) this.#slots.set(field, n);
        else {
          this.#slots.delete(field);
          this.#shown.delete(field);
        }
      });
    };
  }

  /** others is every message whose field has no slot on screen. */
  get others(): FieldError[] {
    return this.list.filter((e) => !this.#shown.has(fieldKey(e.field)));
  }
}

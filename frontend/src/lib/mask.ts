// Masking for secrets on screen (security rule 34): tokens show only their
// ends, like "eyJhbG…Xk9w", so people can tell tokens apart without the
// value being readable on a shared screen.

/** BULLETS is what a short or fully hidden secret shows as. */
export const BULLETS = '••••••••';

/**
 * maskSecret keeps the first `head` and last `tail` characters of a long
 * secret and hides the middle; secrets too short to keep any part safely
 * are fully replaced with bullets. It never returns the input unchanged
 * for a non-empty input.
 */
export function maskSecret(value: string, head = 6, tail = 4): string {
  if (!value) return '';
  // Reveal at most a third of the value, so short secrets stay hidden.
  if (value.length < (head + tail) * 3) return BULLETS;
  return `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/**
 * shownSecret decides what a revealable secret shows: the revealed value
 * only when the user revealed it and presentation mode is off; otherwise
 * the masked form.
 */
export function shownSecret(masked: string, revealed: string | null | undefined, presentation: boolean): string {
  if (revealed && !presentation) return revealed;
  return masked || BULLETS;
}

/** looksSecretName says whether a field name usually carries a secret. */
export function looksSecretName(name: string): boolean {
  return /(secret|token|password|verifier|^code$|authorization|cookie|api[-_]?key)/i.test(name);
}

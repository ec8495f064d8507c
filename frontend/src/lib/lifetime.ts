// How much of an access token's life is left, for the time-left bar. A JWT
// says when it was issued (iat); an opaque token only comes with an expiry,
// so its lifetime is measured from when this window first saw it.

const firstSeen = new Map<string, number>();

/**
 * lifetimeMs returns the token's whole lifetime in ms: expiresAt − issuedAt
 * when both are known, else expiresAt − the first time `key` (which must
 * change with every new token) was passed in. Never less than 1 s.
 */
export function lifetimeMs(key: string, expiresAt: number, issuedAt: number, now: number): number {
  if (Number.isFinite(issuedAt) && expiresAt > issuedAt) return expiresAt - issuedAt;
  let seen = firstSeen.get(key);
  if (seen === undefined) {
    seen = now;
    firstSeen.set(key, seen);
    // Keep the map small: only recent tokens matter.
    if (firstSeen.size > 64) firstSeen.delete(firstSeen.keys().next().value as string);
  }
  return Math.max(1000, expiresAt - seen);
}

/** leftPercent is the share of the lifetime still left, clamped to 0–100. */
export function leftPercent(expiresAt: number, lifetime: number, now: number): number {
  if (!Number.isFinite(expiresAt) || lifetime <= 0) return 0;
  return Math.max(0, Math.min(100, ((expiresAt - now) / lifetime) * 100));
}

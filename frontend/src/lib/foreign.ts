// A profile may keep a real issuer (https://accounts.google.com) while an
// endpoint override points at another host, which then receives the code,
// the PKCE verifier, client credentials or tokens while every ID-token check
// still passes. Go decides which overrides leave the issuer
// (Profile.foreignEndpoints) and which origins the user confirmed
// (Profile.trustedOrigins); these helpers only arrange that for the screen.

import type { ForeignEndpoint, Profile } from './api';

type Foreign = Pick<Profile, 'foreignEndpoints' | 'trustedOrigins'>;

/** ForeignHost is one origin outside the issuer and the endpoints that point there. */
export interface ForeignHost {
  origin: string;
  endpoints: ForeignEndpoint[];
  trusted: boolean;
}

/** isTrusted says whether the user already confirmed origin for the profile. */
export function isTrusted(p: Foreign | undefined, origin: string): boolean {
  return !!p?.trustedOrigins?.includes(origin);
}

/**
 * foreignHosts groups the profile's foreign endpoints by origin, in profile
 * order. With `origins` (those a stopped sign-in names) it lists exactly
 * those, in that order, each with the endpoints the profile knows for it.
 */
export function foreignHosts(p: Foreign | undefined, origins?: string[]): ForeignHost[] {
  const eps = p?.foreignEndpoints ?? [];
  const order = origins ?? [...new Set(eps.map((e) => e.origin))];
  return order.map((origin) => ({
    origin,
    endpoints: eps.filter((e) => e.origin === origin),
    trusted: isTrusted(p, origin),
  }));
}

/**
 * foreignAt is the saved profile's foreign endpoint whose URL is value, for
 * the warning beside an endpoint field. Go computed it for the saved issuer:
 * while the draft's issuer differs nothing is claimed.
 */
export function foreignAt(saved: Profile | undefined, draftIssuer: string, value: string): ForeignEndpoint | undefined {
  if (!saved || !value || saved.issuer.trim() !== draftIssuer.trim()) return undefined;
  return saved.foreignEndpoints?.find((e) => e.url.trim() === value.trim());
}

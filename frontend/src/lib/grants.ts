// How a profile gets its tokens (view.Profile.grant), in the words the UI
// uses for each, and the token types of a token exchange (RFC 8693 §3).

import type { Grant, Profile, Session } from './api';

/** GRANTS are the sign-in methods a profile can use, in the editor's order. */
export const GRANTS: { value: Grant; label: string; hint: string }[] = [
  {
    value: 'authorization_code',
    label: 'Browser + loopback redirect (recommended)',
    hint: 'You sign in in your system browser; it hands the code straight back to PKCE Desk on 127.0.0.1 (RFC 8252).',
  },
  {
    value: 'device_code',
    label: 'Device code',
    hint: 'PKCE Desk shows a code and a QR code; you approve on any device with a browser, such as your phone (RFC 8628).',
  },
  {
    value: 'client_credentials',
    label: 'Client credentials (service account)',
    hint: 'No user: the client signs in as itself with its secret. For QA and machine-to-machine APIs (RFC 6749 §4.4).',
  },
];

/** grantOf is a profile's or session's grant; "" (older profiles) is the authorization code grant. */
export function grantOf(x: Pick<Profile, 'grant'> | Pick<Session, 'grant'> | undefined | null): Grant {
  const g = x?.grant;
  return g === 'device_code' || g === 'client_credentials' ? g : 'authorization_code';
}

/** isServiceAccount says whether tokens come from the client credentials grant (no user, no refresh token). */
export function isServiceAccount(x: Pick<Profile, 'grant'> | Pick<Session, 'grant'> | undefined | null): boolean {
  return grantOf(x) === 'client_credentials';
}

/** TOKEN_TYPES are the token type URNs of RFC 8693 §3 (and RFC 9068's JWT), for requested_token_type. */
export const TOKEN_TYPES: { urn: string; label: string }[] = [
  { urn: 'urn:ietf:params:oauth:token-type:access_token', label: 'Access token' },
  { urn: 'urn:ietf:params:oauth:token-type:refresh_token', label: 'Refresh token' },
  { urn: 'urn:ietf:params:oauth:token-type:id_token', label: 'ID token' },
  { urn: 'urn:ietf:params:oauth:token-type:jwt', label: 'JWT' },
  { urn: 'urn:ietf:params:oauth:token-type:saml2', label: 'SAML 2.0 assertion' },
  { urn: 'urn:ietf:params:oauth:token-type:saml1', label: 'SAML 1.1 assertion' },
];

/** tokenTypeLabel names a token type URN in words, or returns it as sent. */
export function tokenTypeLabel(urn: string): string {
  return TOKEN_TYPES.find((t) => t.urn === urn)?.label ?? urn;
}

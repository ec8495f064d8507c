// The profile's endpoint fields in the editor's order, with their labels.

import type { Endpoints } from './api';

/** endpointFields names each of view.Endpoints' fields for the editor. */
export const endpointFields: { key: keyof Endpoints; label: string }[] = [
  { key: 'authorization', label: 'Authorization' },
  { key: 'token', label: 'Token' },
  { key: 'userinfo', label: 'UserInfo' },
  { key: 'revocation', label: 'Revocation' },
  { key: 'introspection', label: 'Introspection' },
  { key: 'endSession', label: 'End session' },
  { key: 'jwks', label: 'JWKS' },
];

// The profile's endpoint fields in the editor, with their labels. The
// fields come from the generated bindings (view.Endpoints, in Go's order);
// the labels are a Record over the same keys, so a field Go adds or renames
// fails `npm run check` here until it has a label.

import { endpointKeys, type Endpoints } from './api';

/** EndpointKey names one of view.Endpoints' fields. */
export type EndpointKey = Extract<keyof Endpoints, string>;

const labels: Record<EndpointKey, string> = {
  authorization: 'Authorization',
  token: 'Token',
  userinfo: 'UserInfo',
  revocation: 'Revocation',
  introspection: 'Introspection',
  endSession: 'End session',
  jwks: 'JWKS',
  deviceAuthorization: 'Device authorization',
};

/** endpointFields names each of view.Endpoints' fields for the editor, in Go's order. */
export const endpointFields: { key: EndpointKey; label: string }[] = endpointKeys.map((key) => ({ key, label: labels[key as EndpointKey] ?? key }));

// Validation messages from Go name their field in the store's words
// ("client_id", "endpoints.token", "params[2].key") or in the view's
// ("clientId"); fieldKey maps both onto the editor's field names, which are
// view.Profile's own (FieldName, from the generated bindings).

import type { Endpoints, Profile } from './api';

/**
 * FieldName is an editor field a message can belong to: a view.Profile
 * field, or "endpoints.<field>" for one of view.Endpoints'. Both come from
 * the generated types, so a field Go renames fails `npm run check` where
 * the editor still uses the old name.
 */
export type FieldName = Exclude<keyof Profile, 'endpoints'> | `endpoints.${keyof Endpoints}`;

/**
 * fieldKey turns a FieldError.field into the editor's key: snake_case
 * segments become camelCase and list indexes are dropped, so
 * "params[2].key" → "params" and "endpoints.end_session" →
 * "endpoints.endSession".
 */
export function fieldKey(field: string): string {
  const base = field.replace(/\[\d+\].*$/, '');
  return base
    .split('.')
    .map((seg) => seg.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase()))
    .join('.');
}

import { describe, expect, it } from 'vitest';
import { fieldKey } from './fields';

describe('fieldKey', () => {
  it('maps store and view field names onto editor keys', () => {
    expect(fieldKey('client_id')).toBe('clientId');
    expect(fieldKey('clientId')).toBe('clientId');
    expect(fieldKey('redirect_port')).toBe('redirectPort');
    expect(fieldKey('timeout_seconds')).toBe('timeoutSeconds');
    expect(fieldKey('endpoints.token')).toBe('endpoints.token');
    expect(fieldKey('endpoints.end_session')).toBe('endpoints.endSession');
    expect(fieldKey('params[2].key')).toBe('params');
    expect(fieldKey('scopes[0]')).toBe('scopes');
    expect(fieldKey('name')).toBe('name');
  });
});

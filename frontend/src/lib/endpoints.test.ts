import { describe, expect, it } from 'vitest';
import { view } from '../../wailsjs/go/models';
import { endpointKeys, normalizeProfile, type Profile } from './api';
import { endpointFields } from './endpoints';

describe('endpoint fields', () => {
  it("are the generated view.Endpoints' fields, in Go's order, each with a label", () => {
    const generated = Object.keys(new view.Endpoints({}));
    expect(generated.length).toBeGreaterThan(0);
    expect(endpointKeys).toEqual(generated);
    expect(endpointFields.map((f) => f.key)).toEqual(generated);
    for (const f of endpointFields) expect(f.label, f.key).not.toBe(f.key); // no field falls back to its raw name
  });

  it('gives every generated endpoint field a value in a normalized profile', () => {
    const p = normalizeProfile({ id: 'a', endpoints: { token: 'https://t' } } as unknown as Profile);
    expect(Object.keys(p.endpoints)).toEqual(endpointKeys);
    expect(p.endpoints.token).toBe('https://t');
    expect(p.endpoints.jwks).toBe('');
  });
});

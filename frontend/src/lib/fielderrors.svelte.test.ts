import { describe, expect, it } from 'vitest';
import { FieldErrors } from './fielderrors.svelte';

describe('FieldErrors', () => {
  it("gives each field its messages and lists those of fields not on screen, until they are", () => {
    const e = new FieldErrors();
    e.list = [
      { field: 'client_id', message: 'Enter the client ID.' },
      { field: 'client_secret', message: 'Enter the secret.' },
      { field: 'params[1].key', message: 'Name it.' },
    ];
    expect(e.for('clientId')).toEqual(['Enter the client ID.']);
    expect(e.for('params')).toEqual(['Name it.']);
    expect(e.others.map((x) => x.message)).toEqual(['Enter the client ID.', 'Enter the secret.', 'Name it.']);

    const offId = e.show('clientId');
    const offParams = e.show('params');
    const offParams2 = e.show('params'); // two slots for one field
    expect(e.others.map((x) => x.message)).toEqual(['Enter the secret.']);
    offParams();
    offParams(); // taking a mark back twice changes nothing
    expect(e.others.map((x) => x.message)).toEqual(['Enter the secret.']);
    offParams2();
    offId();
    expect(e.others.map((x) => x.message)).toEqual(['Enter the client ID.', 'Enter the secret.', 'Name it.']);
  });
});

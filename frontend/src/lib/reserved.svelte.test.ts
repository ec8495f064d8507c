import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { reserved } from './reserved.svelte';
import { installBridge, removeBridge } from '../test/bridge';

beforeEach(() => reserved.reset());
afterEach(removeBridge);

describe('reserved parameters', () => {
  it('asks Go once and refuses its names in any case, with spaces around', async () => {
    const b = installBridge({ ReservedParams: () => ['state', 'nonce', 'code_verifier'] });
    await Promise.all([reserved.load(), reserved.load()]);
    await reserved.load();
    expect(b.callsTo('ReservedParams')).toHaveLength(1);
    expect(reserved.problem(' State ')).toContain('PKCE Desk sets “State” itself');
    expect(reserved.problem('CODE_VERIFIER')).not.toBe('');
    expect(reserved.problem('audience')).toBe('');
    expect(reserved.problem('')).toBe('');
  });

  it('knows no names of its own: before Go answers nothing is refused here', () => {
    expect(reserved.problem('state')).toBe('');
  });

  it('asks again after a failed ask', async () => {
    let fail = true;
    const b = installBridge({ ReservedParams: () => (fail ? Promise.reject('bridge down') : ['nonce']) });
    await reserved.load();
    expect(reserved.problem('nonce')).toBe('');
    fail = false;
    await reserved.load();
    expect(b.callsTo('ReservedParams')).toHaveLength(2);
    expect(reserved.problem('nonce')).not.toBe('');
  });
});

import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import KVHarness from '../test/KVHarness.svelte';
import type { KV } from '../lib/api';

describe('KVEditor', () => {
  it('adds, edits, disables and removes rows, keeping the bound list in step', async () => {
    let last: KV[] = [];
    render(KVHarness, { initial: [{ key: 'X-One', value: '1', enabled: true }] as KV[], onchange: (r: KV[]) => (last = r) });
    await tick();
    expect(screen.getAllByTestId('headers-row')).toHaveLength(1);

    await fireEvent.click(screen.getByTestId('headers-add'));
    expect(screen.getAllByTestId('headers-row')).toHaveLength(2);
    await fireEvent.input(screen.getByLabelText('Header name 2'), { target: { value: 'Accept' } });
    await fireEvent.input(screen.getByLabelText('Header value 2'), { target: { value: 'application/json' } });
    await tick();
    expect(last).toEqual([
      { key: 'X-One', value: '1', enabled: true },
      { key: 'Accept', value: 'application/json', enabled: true },
    ]);

    await fireEvent.click(screen.getByLabelText('Send X-One'));
    await tick();
    expect(last[0].enabled).toBe(false);

    await fireEvent.click(screen.getByLabelText('Remove X-One'));
    await tick();
    expect(last).toEqual([{ key: 'Accept', value: 'application/json', enabled: true }]);
    expect(screen.getAllByTestId('headers-row')).toHaveLength(1);
  });
});

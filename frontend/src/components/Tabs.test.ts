import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
import TabsHarness from '../test/TabsHarness.svelte';

describe('Tabs', () => {
  it('is a WAI-ARIA tablist: one tab stop, arrows/Home/End move and focus, clicks select', async () => {
    render(TabsHarness);
    const tabs = screen.getAllByRole('tab');
    expect(tabs.map((t) => t.getAttribute('tabindex'))).toEqual(['0', '-1', '-1']);
    expect(tabs[0].getAttribute('aria-selected')).toBe('true');
    tabs[0].focus();
    await fireEvent.keyDown(tabs[0], { key: 'ArrowRight' });
    expect(screen.getByTestId('shown').textContent).toBe('b');
    expect(document.activeElement).toBe(screen.getByTestId('t-b'));
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    await fireEvent.keyDown(document.activeElement!, { key: 'ArrowLeft' });
    expect(screen.getByTestId('shown').textContent).toBe('c');
    await fireEvent.keyDown(document.activeElement!, { key: 'Home' });
    expect(screen.getByTestId('shown').textContent).toBe('a');
    await fireEvent.keyDown(document.activeElement!, { key: 'End' });
    expect(screen.getByTestId('shown').textContent).toBe('c');
    await fireEvent.click(screen.getByTestId('t-b'));
    expect(screen.getByTestId('shown').textContent).toBe('b');
    expect(screen.getByRole('tabpanel').getAttribute('aria-labelledby')).toBe('t-b');
  });
});

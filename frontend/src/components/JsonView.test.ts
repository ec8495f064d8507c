import { describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { tick } from 'svelte';
import JsonView from './JsonView.svelte';

describe('JsonView', () => {
  it('folds and unfolds a node on click', async () => {
    render(JsonView, { text: '{"a":{"b":1,"c":2},"d":"<script>x</script>"}' });
    const view = screen.getByTestId('json-view');
    expect(view.textContent).toContain('"b": 1');
    expect(view.textContent).toContain('"<script>x</script>"');
    const fold = screen.getAllByLabelText('Collapse')[1];
    await fireEvent.click(fold);
    expect(view.textContent).not.toContain('"b": 1');
    expect(view.textContent).toContain('2 keys');
    await fireEvent.click(screen.getByLabelText('Expand'));
    expect(view.textContent).toContain('"b": 1');
    expect(view.querySelector('script')).toBeNull();
  });

  it('collapses all, expands all and switches to plain text', async () => {
    const text = '{"a":{"b":1},"c":[1,2]}';
    render(JsonView, { text });
    await fireEvent.click(screen.getByText('Collapse all'));
    expect(screen.getByTestId('json-view').textContent).not.toContain('"b"');
    await fireEvent.click(screen.getByText('Expand all'));
    expect(screen.getByTestId('json-view').textContent).toContain('"b": 1');
    await fireEvent.click(screen.getByText('Plain text'));
    expect(screen.getByTestId('json-view').tagName).toBe('PRE');
    expect(screen.getByTestId('json-view').textContent).toBe(text);
  });

  it('shows invalid JSON as plain text', () => {
    render(JsonView, { text: '{"a": <img src=x onerror=alert(1)>' });
    const v = screen.getByTestId('json-view');
    expect(v.tagName).toBe('PRE');
    expect(v.textContent).toContain('<img src=x onerror=alert(1)>');
    expect(v.querySelector('img')).toBeNull();
  });

  it('renders only the lines in view of a long document, and all of it as plain text', async () => {
    const text = JSON.stringify(Array.from({ length: 5000 }, (_, i) => i));
    render(JsonView, { text });
    const view = screen.getByTestId('json-view');
    expect(view.dataset.lines).toBe('5002');
    const rows = view.querySelectorAll('.line').length;
    expect(rows).toBeGreaterThan(10);
    expect(rows).toBeLessThan(100);
    expect(view.textContent).toContain('[');
    expect(view.textContent).not.toContain('4999');
    await fireEvent.click(screen.getByText('Plain text'));
    expect(screen.getByTestId('json-view').tagName).toBe('PRE');
    expect(screen.getByTestId('json-view').textContent).toBe(text);
  });

  it('shows JSON cut at the size limit up to the cut, and marks the cut', () => {
    render(JsonView, { text: '{"items":[{"id":1},{"id":2},{"na', truncated: true });
    const view = screen.getByTestId('json-view');
    expect(view.tagName).not.toBe('PRE');
    expect(view.textContent).toContain('"id": 2');
    expect(screen.getByTestId('json-view-cut').textContent).toContain('cut off here');
    // Not marked as cut, the same text is not JSON.
    cleanup();
    render(JsonView, { text: '{"items":[{"id":1},{"id":2},{"na' });
    expect(screen.getByTestId('json-view').tagName).toBe('PRE');
  });

  it('finds text anywhere, unfolding what hides it, and steps through the matches', async () => {
    // Over 400 values: starts folded below the second level.
    const doc = { users: Array.from({ length: 200 }, (_, i) => ({ id: i, profile: { name: `User ${i}` } })) };
    render(JsonView, { text: JSON.stringify(doc) });
    const view = screen.getByTestId('json-view');
    expect(view.textContent).not.toContain('User 150');
    const find = screen.getByLabelText('Find in the body');
    await fireEvent.input(find, { target: { value: 'user 15' } });
    expect(screen.getByTestId('json-view-matches').textContent).toBe('1 of 11');
    await tick();
    const current = view.querySelector('.line.current');
    expect(current?.textContent).toContain('"User 15"');
    expect(current?.querySelector('mark')?.textContent).toBe('User 15');
    await fireEvent.keyDown(find, { key: 'Enter' });
    await tick();
    expect(screen.getByTestId('json-view-matches').textContent).toBe('2 of 11');
    expect(view.querySelector('.line.current')?.textContent).toContain('"User 150"');
    await fireEvent.keyDown(find, { key: 'Enter', shiftKey: true });
    await fireEvent.keyDown(find, { key: 'Enter', shiftKey: true });
    expect(screen.getByTestId('json-view-matches').textContent).toBe('11 of 11');
    await fireEvent.input(find, { target: { value: 'nobody' } });
    expect(screen.getByTestId('json-view-matches').textContent).toBe('No matches');
  });

  it('folds and moves with the keyboard', async () => {
    render(JsonView, { text: '{"a":{"b":1},"c":2}' });
    const view = screen.getByTestId('json-view');
    expect(view.getAttribute('role')).toBe('tree');
    await fireEvent.keyDown(view, { key: 'ArrowDown' });
    await fireEvent.keyDown(view, { key: 'ArrowDown' });
    const active = () => document.getElementById(view.getAttribute('aria-activedescendant')!);
    expect(active()?.textContent).toContain('"a"');
    await fireEvent.keyDown(view, { key: 'ArrowLeft' });
    expect(view.textContent).not.toContain('"b"');
    expect(active()?.getAttribute('aria-expanded')).toBe('false');
    await fireEvent.keyDown(view, { key: 'ArrowRight' });
    expect(view.textContent).toContain('"b": 1');
    await fireEvent.keyDown(view, { key: 'End' });
    expect(active()?.textContent?.trim()).toBe('}');
  });

  it('keeps folds and the search when mounted again with the same body', async () => {
    const text = '{"a":{"b":1},"c":{"d":2}}';
    render(JsonView, { text });
    await fireEvent.click(screen.getAllByLabelText('Collapse')[1]);
    await fireEvent.input(screen.getByLabelText('Find in the body'), { target: { value: '"d"' } });
    cleanup();
    render(JsonView, { text });
    expect(screen.getByTestId('json-view').textContent).toContain('1 key');
    expect((screen.getByLabelText('Find in the body') as HTMLInputElement).value).toBe('"d"');
    expect(screen.getByTestId('json-view-matches').textContent).toBe('1 of 1');
  });
});

import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen } from '@testing-library/svelte';
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

  it('caps the rendered lines and offers plain text', async () => {
    render(JsonView, { text: JSON.stringify(Array.from({ length: 60 }, (_, i) => i)), lineLimit: 50 });
    expect(screen.getByTestId('json-view').textContent).toContain('Showing the first 50 lines');
    expect(document.querySelectorAll('.line').length).toBe(50);
    await fireEvent.click(screen.getByText('show it as plain text'));
    expect(screen.getByTestId('json-view').tagName).toBe('PRE');
  });
});

import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import Lazy from './Lazy.svelte';
import Hello from '../test/Hello.svelte';
import { lazy, type ViewModule } from '../lib/lazy';

describe('lazy', () => {
  it('imports once however often the view is shown', async () => {
    let imports = 0;
    const view = lazy(async () => {
      imports++;
      return { default: Hello } as ViewModule;
    });
    expect(view.loaded).toBeUndefined();
    await Promise.all([view.load(), view.load()]);
    await view.load();
    expect(imports).toBe(1);
    expect(view.loaded?.default).toBe(Hello);
  });

  it('retries an import that failed', async () => {
    let calls = 0;
    const view = lazy(async () => {
      if (++calls === 1) throw new Error('chunk missing');
      return { default: Hello } as ViewModule;
    });
    await expect(view.load()).rejects.toThrow('chunk missing');
    expect(view.loaded).toBeUndefined();
    await view.load();
    expect(calls).toBe(2);
  });
});

describe('Lazy', () => {
  it('shows nothing until the code is there, then the view', async () => {
    let release!: (m: ViewModule) => void;
    const view = lazy(() => new Promise<ViewModule>((r) => (release = r)));
    render(Lazy, { view });
    expect(screen.queryByTestId('hello')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
    release({ default: Hello });
    expect(await screen.findByTestId('hello')).toBeTruthy();
  });

  it('renders a loaded view at once, with no empty frame', async () => {
    const view = lazy(async () => ({ default: Hello }) as ViewModule);
    await view.load();
    render(Lazy, { view });
    expect(screen.getByTestId('hello')).toBeTruthy();
  });

  it('says what failed and what to do when the code cannot load', async () => {
    const view = lazy(() => Promise.reject(new Error('Failed to fetch dynamically imported module')));
    render(Lazy, { view });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Failed to fetch dynamically imported module');
    expect(alert.textContent).toContain('Restart PKCE Desk');
  });
});

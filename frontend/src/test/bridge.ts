// A fake Wails bridge for tests: window.go.main.App methods record their
// calls and answer from per-test handlers; window.runtime keeps event
// listeners so tests can emit Go events.

import type { EventName } from '../lib/events';

type Handler = (...args: any[]) => unknown;

export interface FakeBridge {
  calls: { method: string; args: unknown[] }[];
  emit: (name: EventName, payload?: unknown) => void;
  clipboard: string[];
  callsTo: (method: string) => unknown[][];
}

/** installBridge replaces window.go and window.runtime; handlers answer calls (a thrown string or rejected promise is a Go error). */
export function installBridge(handlers: Record<string, Handler> = {}): FakeBridge {
  const calls: FakeBridge['calls'] = [];
  const listeners: Record<string, ((p: unknown) => void)[]> = {};
  const clipboard: string[] = [];
  const App = new Proxy(
    {},
    {
      get(_t, method: string) {
        return (...args: unknown[]) => {
          calls.push({ method, args });
          const h = handlers[method];
          if (!h) return Promise.resolve(defaults(method));
          try {
            return Promise.resolve(h(...args));
          } catch (err) {
            return Promise.reject(err);
          }
        };
      },
    },
  );
  const w = window as any;
  w.go = { main: { App } };
  w.runtime = {
    EventsOnMultiple(name: string, cb: (p: unknown) => void) {
      (listeners[name] ??= []).push(cb);
      return () => (listeners[name] = listeners[name].filter((x) => x !== cb));
    },
    EventsOff() {},
    ClipboardSetText(text: string) {
      clipboard.push(text);
      return Promise.resolve(true);
    },
  };
  return {
    calls,
    clipboard,
    emit: (name, payload) => (listeners[name] ?? []).forEach((cb) => cb(payload)),
    callsTo: (method) => calls.filter((c) => c.method === method).map((c) => c.args),
  };
}

function defaults(method: string): unknown {
  switch (method) {
    case 'Profiles':
    case 'Trace':
    case 'History':
    case 'Presets':
    case 'ValidateProfile':
      return [];
    case 'Settings':
      return { presentationMode: false, theme: 'system' };
    default:
      return null;
  }
}

/** removeBridge deletes the fake bridge. */
export function removeBridge(): void {
  const w = window as any;
  delete w.go;
  delete w.runtime;
}

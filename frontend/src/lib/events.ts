// The names of the events Go emits to the webview (runtime.EventsEmit), in
// one place. Go keeps the same names as constants in desk/, and a Go test
// reads this file and compares, so keep the literal shape below as it is.

/** Events names each Go → UI event: trace, session, notice, profiles, info. */
export const Events = { trace: 'trace', session: 'session', notice: 'notice', profiles: 'profiles', info: 'info' } as const;

/** EventName is one of the names in Events. */
export type EventName = (typeof Events)[keyof typeof Events];

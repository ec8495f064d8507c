// Request ids: the console makes the id of each test request itself, so it
// can cancel that request (App.CancelSend) while Send is still running.

/** newId returns 96 random bits as 24 hex characters, from the Web Crypto RNG. */
export function newId(): string {
  const b = new Uint8Array(12);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

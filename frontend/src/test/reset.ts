// Puts the desk singleton back to a clean state between component tests.
import { desk } from '../lib/desk.svelte';
import type { Profile, Session } from '../lib/api';

export function resetDesk(profiles: Profile[] = [], session?: Session): void {
  desk.dispose();
  desk.profiles = profiles;
  desk.selectedId = profiles[0]?.id ?? '';
  desk.sessions = session ? { [session.profileId]: session } : {};
  desk.traces = {};
  desk.requests = {};
  desk.settings = { presentationMode: false, theme: 'system' } as typeof desk.settings;
  desk.toasts = [];
  desk.tab = 'flow';
  desk.creating = null;
  desk.loadError = '';
  desk.actionErrors = {};
  desk.foreignPrompt = null;
  desk.exchanged = {};
  desk.now = Date.now();
}

// Session status words, icons and colour hints. Colour is only a hint:
// every status also carries an icon and words.

/** SessionStatus is Session.status as Go sends it. */
export type SessionStatus = 'signed_out' | 'waiting' | 'exchanging' | 'restoring' | 'signed_in' | 'expired' | 'error';

export interface StatusLook {
  /** Words for the header. */
  label: string;
  /** A text icon (no icon fonts). */
  icon: string;
  /** CSS modifier: ok, busy, warn, bad, idle. */
  tone: 'ok' | 'busy' | 'warn' | 'bad' | 'idle';
}

const looks: Record<SessionStatus, StatusLook> = {
  signed_out: { label: 'Signed out', icon: '○', tone: 'idle' },
  waiting: { label: 'Waiting for you in the browser…', icon: '◌', tone: 'busy' },
  exchanging: { label: 'Exchanging the code for tokens…', icon: '◌', tone: 'busy' },
  restoring: { label: 'Restoring your kept session…', icon: '◌', tone: 'busy' },
  signed_in: { label: 'Signed in', icon: '●', tone: 'ok' },
  expired: { label: 'Access token expired', icon: '◔', tone: 'warn' },
  error: { label: 'Sign-in failed', icon: '✕', tone: 'bad' },
};

/** statusLook returns the words, icon and tone for a session status; unknown values read as signed out. */
export function statusLook(status: string | undefined): StatusLook {
  return looks[(status ?? 'signed_out') as SessionStatus] ?? looks.signed_out;
}

/** isBusy says whether a sign-in or a launch-time restore is under way. */
export function isBusy(status: string | undefined): boolean {
  return status === 'waiting' || status === 'exchanging' || status === 'restoring';
}

/** canCancel says whether the user can cancel what is under way (a sign-in; a restore ends by itself). */
export function canCancel(status: string | undefined): boolean {
  return status === 'waiting' || status === 'exchanging';
}

/** hasTokens says whether the status means tokens are held. */
export function hasTokens(status: string | undefined): boolean {
  return status === 'signed_in' || status === 'expired';
}

/** eventLook maps a trace event status to an icon and words. */
export function eventLook(status: string): { icon: string; label: string; tone: StatusLook['tone'] } {
  switch (status) {
    case 'ok':
      return { icon: '✓', label: 'done', tone: 'ok' };
    case 'fail':
      return { icon: '✕', label: 'failed', tone: 'bad' };
    case 'warn':
      return { icon: '!', label: 'warning', tone: 'warn' };
    case 'pending':
      return { icon: '◌', label: 'in progress', tone: 'busy' };
    default:
      return { icon: 'i', label: 'info', tone: 'idle' };
  }
}

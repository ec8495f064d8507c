// Time words for the UI: the countdown on the access token ("4:12"), local
// clock times, and relative phrases ("in 4 min", "3 min ago").

/** parseTime returns epoch ms for an RFC 3339 string, or NaN. */
export function parseTime(iso: string | null | undefined): number {
  if (!iso) return NaN;
  return Date.parse(iso);
}

/**
 * formatCountdown renders a remaining duration as m:ss (or h:mm:ss past an
 * hour). Zero or negative durations render as "0:00".
 */
export function formatCountdown(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) return '0:00';
  const total = Math.floor(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  if (h > 0) return `${h}:${String(m).padStart(2, '0')}:${ss}`;
  return `${m}:${ss}`;
}

function unit(n: number, word: string): string {
  return `${n} ${word}`;
}

/**
 * formatRelative says how far `target` is from `now` in the largest fitting
 * unit: "in 45 s", "in 4 min", "3 h ago", "in 2 days"; within a second it
 * says "now".
 */
export function formatRelative(target: number, now: number): string {
  if (!Number.isFinite(target)) return '';
  const diff = target - now;
  const abs = Math.abs(diff);
  if (abs < 1000) return 'now';
  let text: string;
  if (abs < 60_000) text = unit(Math.floor(abs / 1000), 's');
  else if (abs < 3_600_000) text = unit(Math.floor(abs / 60_000), 'min');
  else if (abs < 86_400_000) text = unit(Math.floor(abs / 3_600_000), 'h');
  else {
    const d = Math.floor(abs / 86_400_000);
    text = unit(d, d === 1 ? 'day' : 'days');
  }
  return diff > 0 ? `in ${text}` : `${text} ago`;
}

/** formatClock renders epoch ms as local HH:MM:SS. */
export function formatClock(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** formatLocalDateTime renders epoch ms as local "YYYY-MM-DD HH:MM:SS". */
export function formatLocalDateTime(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${formatClock(ms)}`;
}

/** formatOffset renders a +ms offset on the timeline: "+12 ms", "+1.25 s". */
export function formatOffset(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '';
  if (ms < 1000) return `+${Math.round(ms)} ms`;
  return `+${(ms / 1000).toFixed(2)} s`;
}

/** formatDuration renders a measured duration: "—" for unknown (-1). */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  if (ms < 1) return '<1 ms';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

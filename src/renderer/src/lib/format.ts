/** Human-readable units for the tables. Pure; unit-tested. */

/** 1_100_048_384 → "1.1B", 494_032_768 → "494M", null → "?" */
export function formatParams(count: number | null | undefined): string {
  if (count == null || !Number.isFinite(count)) return '?';
  const units: [number, string][] = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of units) if (count >= size) return `${trim(count / size)}${unit}`;
  return String(count);
}

export { formatBytes } from '../../../shared/formatBytes';

/** 0.4 → "< 1 s", 95 → "1 min 35 s", 7260 → "2 h 1 min", null → "unknown". */
export function formatDuration(seconds: number | null | undefined): string {
  if (seconds == null || !Number.isFinite(seconds) || seconds < 0) return 'unknown';
  if (seconds < 1) return '< 1 s';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  const d = Math.floor(h / 24);
  return h % 24 ? `${d} d ${h % 24} h` : `${d} d`;
}

export function formatMs(ms: number | null | undefined): string {
  if (ms == null || !Number.isFinite(ms)) return '?';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${trim(ms / 1000)} s`;
}

export function formatRate(tokensPerSecond: number | null | undefined): string {
  if (tokensPerSecond == null || !Number.isFinite(tokensPerSecond) || tokensPerSecond <= 0) return '–';
  return `${tokensPerSecond >= 100 ? Math.round(tokensPerSecond) : trim(tokensPerSecond)} tok/s`;
}

export function formatCount(n: number | null | undefined): string {
  return n == null ? '?' : n.toLocaleString('en-US');
}

/** The first 12 hex digits, as git shows commits; the full hash goes in a title. */
export function shortHash(sha: string): string {
  return sha.length > 12 ? `${sha.slice(0, 12)}…` : sha;
}

/** "2025-11-27T16:56:00.000Z" → "2025-11-27 16:56" in local time. */
export function formatDate(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** One decimal below 10, none above: 1.1, 9.9, 12, 494. */
function trim(value: number): string {
  return value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
}

export interface BackoffOptions {
  /** Delay before the first retry; doubles with each retry. */
  baseMs: number;
  /** Longest wait, also the cap on a server's Retry-After. */
  maxMs: number;
}

/**
 * How long to wait before retry number `retry` (1-based): the server's Retry-After when it sent one,
 * else exponential backoff with jitter (half fixed, half random) so that parallel callers that failed
 * together do not retry in lockstep.
 */
export function backoffDelayMs(retry: number, options: BackoffOptions, retryAfterMs: number | null, random = Math.random): number {
  if (retryAfterMs !== null) return Math.min(retryAfterMs, options.maxMs);
  const exp = Math.min(options.maxMs, options.baseMs * 2 ** (retry - 1));
  return exp / 2 + (random() * exp) / 2;
}

/**
 * Retry-After as milliseconds: `retry-after-ms` (OpenAI), `retry-after` in seconds or as an HTTP date.
 * Null when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | null {
  const ms = Number(headers.get('retry-after-ms'));
  if (headers.has('retry-after-ms') && Number.isFinite(ms) && ms >= 0) return ms;
  const value = headers.get('retry-after');
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/**
 * The kinds of failure a caller can act on, thrown by core code and mapped by every transport the same way:
 * the API body's code, and over HTTP the status. Anything else is a fault of ours (`failed`, 500) and is the
 * only kind logged as an error.
 */

/** The API error codes of the kinds (a subset of `ApiErrorCode` in shared/api.ts), plus `failed`. */
export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'too_large' | 'failed';

/** HTTP status per code. 422 rather than 400 for input: the request was well-formed, what it points to is not. */
export const ERROR_STATUS: Readonly<Record<ErrorCode, number>> = {
  invalid_input: 422,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  failed: 500,
};

abstract class KindedError extends Error {
  abstract readonly code: Exclude<ErrorCode, 'failed'>;
}

/** What the user gave (a file, a path, a value) cannot be used; the message says what to do. */
export class InputError extends KindedError {
  override name = 'InputError';
  readonly code = 'invalid_input';
}

/** A referenced record does not exist. */
export class NotFound extends KindedError {
  override name = 'NotFound';
  readonly code = 'not_found';
}

/** The request clashes with the current state (e.g. a run owned by another live process). */
export class Conflict extends KindedError {
  override name = 'Conflict';
  readonly code = 'conflict';
}

/** The input is over a size limit. */
export class TooLarge extends KindedError {
  override name = 'TooLarge';
  readonly code = 'too_large';
}

export function apiErrorCodeOf(err: unknown): ErrorCode {
  if (err instanceof KindedError) return err.code;
  return 'failed';
}

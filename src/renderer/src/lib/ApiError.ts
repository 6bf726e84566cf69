import type { ApiErrorBody, ApiErrorCode } from '../../../shared/api';

/** A failed API call, as the renderer sees it on either transport: the contract's error code, message and issues. */
export class ApiError extends Error {
  override name = 'ApiError';
  readonly code: ApiErrorCode;
  /** For invalid_request: which field and why. */
  readonly issues: { path: string; message: string }[];

  constructor(code: ApiErrorCode, message: string, issues: { path: string; message: string }[] = []) {
    super(message);
    this.code = code;
    this.issues = issues;
  }

  static from(body: ApiErrorBody): ApiError {
    return new ApiError(body.code, body.message, body.issues ?? []);
  }
}

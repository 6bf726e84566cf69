/**
 * How a typed API error crosses Electron's contextBridge. The bridge copies a thrown or rejected `Error`
 * by its message only (custom properties such as `code` and `issues` are dropped, and the message may gain
 * a prefix), so the preload writes code and issues *into* the message and the renderer reads them back.
 * Imports nothing but types.
 */
import { API_ERROR_CODES, type ApiErrorBody, type ApiErrorCode } from './api';

const ISSUES_MARKER = '\nissues: ';
const CODE_PREFIX = new RegExp(`\\[(${API_ERROR_CODES.join('|')})\\] ([\\s\\S]*)$`);

/** `[code] message`, then the issues as JSON on a last line when there are any. */
export function encodeApiErrorMessage(error: ApiErrorBody): string {
  const head = `[${error.code}] ${error.message}`;
  return error.issues?.length ? `${head}${ISSUES_MARKER}${JSON.stringify(error.issues)}` : head;
}

/** The error body back from a message made by `encodeApiErrorMessage`, wherever it sits in the text; null otherwise. */
export function decodeApiErrorMessage(text: string): ApiErrorBody | null {
  const match = CODE_PREFIX.exec(text);
  if (!match) return null;
  const code = match[1] as ApiErrorCode;
  let message = match[2]!;
  const at = message.lastIndexOf(ISSUES_MARKER);
  if (at === -1) return { code, message };
  try {
    const parsed: unknown = JSON.parse(message.slice(at + ISSUES_MARKER.length));
    message = message.slice(0, at);
    const issues = Array.isArray(parsed)
      ? parsed
          .filter((i): i is { path: unknown; message: unknown } => typeof i === 'object' && i !== null)
          .map((i) => ({ path: String(i.path), message: String(i.message) }))
      : [];
    return { code, message, issues };
  } catch {
    return { code, message };
  }
}

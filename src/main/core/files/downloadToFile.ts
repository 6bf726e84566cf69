import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { InputError, NotFound } from '../../../shared/errors';

export interface DownloadToFileOptions {
  url: string;
  /** Where the file ends up; it gets its name only once every byte is written. */
  dest: string;
  headers?: Record<string, string>;
  /** Until the response headers arrive (DNS, connect, TLS, server think time). */
  connectTimeoutMs?: number;
  /** Longest silence between two chunks of the body. */
  readTimeoutMs?: number;
  onProgress?: (receivedBytes: number, totalBytes: number | null) => void;
  signal?: AbortSignal;
  /** What the caller calls the resource in messages (e.g. `hf:owner/dataset/file`); defaults to the URL. */
  label?: string;
  /** What to say on 401/403 (e.g. "set HF_TOKEN"), after the status. */
  authHint?: string;
}

/** A request the user cancelled: not an error of theirs or ours. */
export class DownloadCancelled extends Error {
  override name = 'DownloadCancelled';
}

const DEFAULT_CONNECT_MS = 30_000;
const DEFAULT_READ_MS = 60_000;

/**
 * Streams `url` into a temporary file beside `dest`, then renames it: an interrupted, refused or timed-out
 * transfer never leaves a file under `dest`'s name. A 401/403, a 404, any other HTTP error, an HTML page where
 * data was expected, and a silent server each fail with a message that says what to do.
 */
export async function downloadToFile(options: DownloadToFileOptions): Promise<{ bytes: number }> {
  const label = options.label ?? options.url;
  const controller = new AbortController();
  let timedOut: string | null = null;
  const abortWith = (why: string) => {
    timedOut = why;
    controller.abort();
  };
  const onCancel = () => controller.abort();
  options.signal?.addEventListener('abort', onCancel, { once: true });
  const connectMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_MS;
  let timer = setTimeout(() => abortWith(`no answer within ${connectMs / 1000} s`), connectMs);
  const temp = `${options.dest}.${randomUUID()}.part`;
  try {
    if (options.signal?.aborted) throw new DownloadCancelled(`${label}: cancelled.`);
    const response = await fetch(options.url, { headers: options.headers, redirect: 'follow', signal: controller.signal });
    if (!response.ok || !response.body) throw httpError(response.status, label, options.authHint);
    const totalHeader = Number(response.headers.get('content-length'));
    const total = Number.isFinite(totalHeader) && totalHeader > 0 ? totalHeader : null;
    const isHtml = /^text\/html\b/i.test(response.headers.get('content-type') ?? '');

    await mkdir(dirname(options.dest), { recursive: true });
    const out = createWriteStream(temp);
    const readMs = options.readTimeoutMs ?? DEFAULT_READ_MS;
    let received = 0;
    let head = '';
    try {
      for await (const chunk of Readable.fromWeb(response.body as WebReadableStream<Uint8Array>) as AsyncIterable<Buffer>) {
        clearTimeout(timer);
        timer = setTimeout(() => abortWith(`no data for ${readMs / 1000} s`), readMs);
        if (head.length < 512) head += chunk.toString('utf8', 0, 512);
        // Checked on the first bytes so a large HTML page is not downloaded whole.
        if (isHtml || looksLikeHtml(head)) throw htmlError(label);
        received += chunk.length;
        if (!out.write(chunk)) await once(out, 'drain');
        options.onProgress?.(received, total);
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    if (isHtml) throw htmlError(label);
    if (total !== null && received !== total) throw new Error(`${label}: the connection closed after ${received} of ${total} bytes. Try again.`);
    await rename(temp, options.dest);
    return { bytes: received };
  } catch (err) {
    if (timedOut !== null) throw new Error(`${label}: ${timedOut} from ${new URL(options.url).host}. Check the connection and try again.`);
    if (options.signal?.aborted) throw new DownloadCancelled(`${label}: cancelled.`);
    if (err instanceof TypeError && err.message === 'fetch failed') {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`${label}: cannot reach ${new URL(options.url).host} (${cause?.code ?? cause?.message ?? 'network error'}). Check the connection and try again.`);
    }
    throw err;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onCancel);
    await rm(temp, { force: true });
  }
}

function looksLikeHtml(head: string): boolean {
  return /^\s*<(!doctype html|html[\s>]|head[\s>]|body[\s>])/i.test(head);
}

function htmlError(label: string): InputError {
  return new InputError(
    `${label}: the server sent an HTML page, not a data file (a web page of the dataset rather than its file, or a login page). ` +
      'Use the URL of the raw file (on Hugging Face: .../resolve/main/<file>, or hf:<owner>/<dataset>/<file>).',
  );
}

function httpError(status: number, label: string, authHint = ''): Error {
  if (status === 401 || status === 403) {
    return new InputError(`${label}: access refused (HTTP ${status}): the dataset is gated or private.${authHint ? ` ${authHint}` : ''}`);
  }
  if (status === 404) return new NotFound(`${label}: not found (HTTP 404). Check the owner, the dataset name and the file path.`);
  return new Error(`${label}: the server answered HTTP ${status}. Try again later.`);
}

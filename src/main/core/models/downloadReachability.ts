import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The Hugging Face Hub, where `hf:` URIs resolve (node-llama-cpp honours the same `HF_ENDPOINT` override). */
const HUB = 'https://huggingface.co/';

/** The server cannot be reached: offline, a host that does not resolve, a refused or unanswered connection. */
export class UnreachableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreachableError';
  }
}

/** The URL whose server a download talks to first: the Hub for `hf:` URIs, the URL itself otherwise. */
export function probeUrlOf(uri: string, env: NodeJS.ProcessEnv = process.env): string {
  return /^hf:/i.test(uri) ? (env.HF_ENDPOINT ?? HUB) : uri;
}

/**
 * Asks the download's server for the file and waits for the answer's headers only, within `timeoutMs`
 * for DNS, connect and answer together. Any HTTP status counts as reachable (a 404 or 401 is the downloader's to
 * explain). Why our own check: node-llama-cpp's downloader (ipull) retries an unresolvable host or an unanswered
 * request about 150 times and ignores a cancel until a server answers, so offline it would sit at "0 B" for
 * minutes. Aborting `signal` (pause, cancel, quit) ends the check at once and destroys its socket.
 */
export async function assertReachable(uri: string, { timeoutMs, signal }: { timeoutMs: number; signal?: AbortSignal }): Promise<void> {
  const url = new URL(probeUrlOf(uri));
  const host = url.hostname;
  const seconds = Math.round(timeoutMs / 100) / 10;
  await new Promise<void>((resolve, reject) => {
    const request = (url.protocol === 'https:' ? httpsRequest : httpRequest)(url, {
      method: 'GET',
      headers: { 'accept-encoding': 'identity' },
    });
    const timer = setTimeout(() => {
      request.destroy(
        new UnreachableError(
          `${host} did not answer within ${seconds} s. The computer seems to be offline, or the server is down: check the internet connection and try again.`,
        ),
      );
    }, timeoutMs);
    const onAbort = () => request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('stopped'));
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (err?: Error) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (err) reject(err);
      else resolve();
    };
    request.on('response', (response) => {
      // The headers are the answer; the byte itself is not needed.
      response.destroy();
      done();
    });
    request.on('error', (err: NodeJS.ErrnoException) => done(plainReachError(host, err)));
    if (signal?.aborted) onAbort();
    request.end();
  });
}

function plainReachError(host: string, err: NodeJS.ErrnoException): Error {
  if (err instanceof UnreachableError || !err.code) return err;
  if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') {
    return new UnreachableError(`the host ${host} cannot be found (no DNS answer). The computer seems to be offline, or the address is wrong: check the internet connection and the URL.`);
  }
  if (err.code === 'ECONNREFUSED') return new UnreachableError(`${host} refused the connection: the server is down or the URL's port is wrong.`);
  if (err.code === 'ENETUNREACH' || err.code === 'EHOSTUNREACH') {
    return new UnreachableError(`${host} cannot be reached (${err.code}): the computer seems to be offline. Check the internet connection.`);
  }
  return new UnreachableError(`${host} cannot be reached (${err.code}: ${err.message}). Check the internet connection and the URL.`);
}

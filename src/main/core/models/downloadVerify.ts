import { open, stat } from 'node:fs/promises';
import type { Llama } from 'node-llama-cpp';
import { inspectGguf, type GgufSummary } from '../inference';

/** A downloaded file that is not a usable GGUF model; `message` says what was received and what to do. */
export class DownloadedFileError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
    this.name = 'DownloadedFileError';
  }
}

const SNIFF_BYTES = 512;

/**
 * Checks a finished download BEFORE it becomes a model: the GGUF magic bytes first (a login page, an error
 * page or a redirect saved as `.gguf` is named as such), then node-llama-cpp's GGUF reader on the header and
 * the tensor sizes (a truncated transfer is refused).
 */
export async function verifyDownloadedGguf(path: string, llama: Llama): Promise<GgufSummary> {
  const head = await readHead(path);
  if (head.subarray(0, 4).toString('latin1') !== 'GGUF') {
    const text = head.toString('utf8').trimStart().toLowerCase();
    const size = (await stat(path)).size;
    if (text.startsWith('<!doctype html') || text.startsWith('<html') || /<(head|body|title)[\s>]/.test(text)) {
      throw new DownloadedFileError(
        path,
        `The server sent an HTML page (${size.toLocaleString('en')} bytes), not a GGUF model: usually a login, ` +
          'error or "file not found" page. Check the URL (it must point at the .gguf file itself, e.g. ' +
          'https://huggingface.co/<user>/<repo>/resolve/main/<file>.gguf) and whether the repository needs a token.',
      );
    }
    if (text.startsWith('{') || text.startsWith('[')) {
      throw new DownloadedFileError(path, `The server sent JSON (${size.toLocaleString('en')} bytes), not a GGUF model: ${JSON.stringify(text.slice(0, 120))}. Check the URL.`);
    }
    throw new DownloadedFileError(path, `The downloaded file (${size.toLocaleString('en')} bytes) is not a GGUF model: it does not start with the bytes "GGUF". Check that the URL points at a .gguf file.`);
  }
  try {
    return (await inspectGguf(path, llama)).summary;
  } catch (err) {
    throw new DownloadedFileError(path, err instanceof Error ? err.message : String(err));
  }
}

async function readHead(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

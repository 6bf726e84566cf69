import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/**
 * Streams the file: model files are gigabytes and must never be read into memory whole.
 * `onProgress` gets the bytes hashed so far after each chunk (for a progress bar on big files).
 */
export async function sha256File(path: string, onProgress?: (bytesDone: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let done = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    done += (chunk as Buffer).length;
    onProgress?.(done);
  }
  return hash.digest('hex');
}

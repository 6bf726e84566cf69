import { mkdir, statfs } from 'node:fs/promises';

/** Free bytes for an unprivileged user on the file system holding `dir`. */
export type FreeSpaceProbe = (dir: string) => Promise<number>;

export const probeFreeSpace: FreeSpaceProbe = async (dir) => {
  await mkdir(dir, { recursive: true });
  const fs = await statfs(dir);
  return fs.bavail * fs.bsize;
};

/** Room left after the download so the disk is never filled to the last byte (the store writes there too). */
export const DISK_HEADROOM_BYTES = 256 * 1024 * 1024;

export class DiskSpaceError extends Error {
  constructor(
    readonly neededBytes: number,
    readonly freeBytes: number,
    dir: string,
  ) {
    super(
      `Not enough disk space in ${dir}: the download needs ${formatBytes(neededBytes)} more ` +
        `(plus ${formatBytes(DISK_HEADROOM_BYTES)} kept free), and only ${formatBytes(freeBytes)} is free. ` +
        'Free some space or choose another download folder in the settings.',
    );
    this.name = 'DiskSpaceError';
  }
}

/** Refuses, with the numbers, a download whose remaining bytes do not fit in `dir`. */
export async function assertDiskSpace(dir: string, remainingBytes: number, probe: FreeSpaceProbe = probeFreeSpace): Promise<void> {
  const free = await probe(dir);
  if (remainingBytes + DISK_HEADROOM_BYTES > free) throw new DiskSpaceError(remainingBytes, free, dir);
}

/** Megabytes with the exact count, so the refusal can be checked against `df`. */
function formatBytes(bytes: number): string {
  return `${(bytes / 1e6).toFixed(1)} MB (${bytes.toLocaleString('en')} bytes)`;
}

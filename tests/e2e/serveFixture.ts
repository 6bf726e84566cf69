import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { REPO } from '../support/paths';

export interface Served {
  /** The URL printed by `serve`, with its token. */
  url: string;
  dataDir: string;
  /** Runs the CLI against the same data dir (e.g. to seed the store). */
  process: ChildProcess;
}

/** Starts the real backend in serve mode on a fresh data dir, as a user would: `cli --data-dir <dir> serve`. */
export async function startServe(dataDir = mkdtempSync(join(tmpdir(), 'align-e2e-'))): Promise<Served> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', '--data-dir', dataDir, 'serve', '--port', '0'], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`serve printed no URL in 60 s. stderr:\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d) => {
      out += String(d);
      const m = /^(http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+)$/m.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}. stderr:\n${stderr}`)));
  });
  return { url, dataDir, process: child };
}

export async function stopServe(served: Served): Promise<void> {
  const exited = new Promise((resolve) => served.process.on('exit', resolve));
  served.process.kill('SIGTERM');
  await exited;
  rmSync(served.dataDir, { recursive: true, force: true });
}

export const test = base.extend<{ served: Served }>({
  served: async ({}, use) => {
    const served = await startServe();
    await use(served);
    await stopServe(served);
  },
});
export { expect } from '@playwright/test';

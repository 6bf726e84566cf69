// Downloads that never hang (issue 14): offline, a server that accepts and never answers, one that stalls
// mid-file, one that goes silent on the data requests. Real sockets on 127.0.0.1 and a reserved `.invalid` host
// only; the good file is the real stories260K GGUF.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../src/main/services/createServices';
import { DownloadManager, type DownloadTimeouts } from '../../src/main/core/models/downloadManager';
import { RESOURCES_DIR } from '../../src/main/paths';
import { cliBackground } from '../support/cli';
import { startLoopbackFileServer, type LoopbackFileServer } from '../support/loopbackFileServer';
import { STORIES } from '../support/paths';

const MIB = 1024 * 1024;
const stories = readFileSync(STORIES);
// Longer than one 5 MiB chunk, so a stall mid-file leaves bytes on disk.
const padded = Buffer.concat([stories, Buffer.alloc(12 * MIB - stories.length)]);

let server: LoopbackFileServer;
let dataDir: string;
let workbench: Services;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'align-download-fail-'));
  workbench = createServices({ dataDir, resourcesDir: RESOURCES_DIR });
  server = await startLoopbackFileServer({
    '/good/stories260K.gguf': { kind: 'file', body: stories },
    '/silent/model.gguf': { kind: 'silent' },
    '/stalled/model.gguf': { kind: 'file', body: padded, stallAt: 6 * MIB },
    '/mute/model.gguf': { kind: 'file', body: padded, silentRanges: true },
  });
});
afterAll(async () => {
  await server.close();
  await workbench.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Bytes on disk per download, from the live progress (the store is written once a second only). */
const onDisk = new Map<number, number>();

function open(timeouts?: Partial<DownloadTimeouts>) {
  return new DownloadManager({
    store: workbench.store.downloads,
    downloadDir: () => join(dataDir, 'models'),
    addModel: (path) => workbench.library.addHashed(path),
    onProgress: (d) => onDisk.set(d.id, d.downloadedBytes),
    timeouts,
  });
}

/** Milliseconds `work` took. */
async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await work();
  return { ms: performance.now() - t0, value };
}

/** Waits until a started download is past "connecting" and has `bytes` on disk. */
async function waitForBytes(manager: DownloadManager, id: number, bytes: number) {
  const t0 = Date.now();
  while ((onDisk.get(id) ?? 0) < bytes) {
    if (Date.now() - t0 > 30_000) throw new Error(`download ${id} never reached ${bytes} bytes: ${JSON.stringify(manager.get(id))}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('offline and unanswered: reported in plain words in < 15 s (default timeouts)', () => {
  it('a host that does not resolve', async () => {
    const manager = open();
    const uri = 'http://no-such-host.invalid/model.gguf';
    const { ms, value } = await timed(() => manager.start(uri).then(() => null, (e: Error) => e));
    expect(ms).toBeLessThan(15_000);
    expect(value?.message).toMatch(/^http:\/\/no-such-host\.invalid\/model\.gguf: the host no-such-host\.invalid cannot be found \(no DNS answer\)\. The computer seems to be offline/);
    const stored = manager.list().find((d) => d.uri === uri)!;
    expect(stored.status).toBe('failed');
    expect(stored.error).toBe(value?.message);
  });

  it('a server that accepts the connection and never answers', async () => {
    const manager = open();
    const { ms, value } = await timed(() => manager.start(server.url('/silent/model.gguf')).then(() => null, (e: Error) => e));
    // The default answer timeout is 10 s: not earlier, and well within 15 s.
    expect(ms).toBeGreaterThanOrEqual(9_900);
    expect(ms).toBeLessThan(15_000);
    expect(value?.message).toMatch(/127\.0\.0\.1 did not answer within 10 s\. The computer seems to be offline, or the server is down/);
  });
});

describe('pause and cancel take effect in < 1 s in every state', () => {
  it('while connecting to a server that never answers: pause, resume, cancel', async () => {
    const manager = open();
    const uri = server.url('/silent/model.gguf');
    const starting = manager.start(uri);
    await new Promise((r) => setTimeout(r, 300));
    const id = manager.list().find((d) => d.uri === uri && d.status === 'downloading')!.id;
    expect(manager.get(id).status).toBe('downloading');
    const paused = await timed(() => manager.pause(id));
    expect(paused.ms).toBeLessThan(1000);
    expect(paused.value.status).toBe('paused');
    // The caller of start learns the state instead of an error: a pause is not a failure.
    expect((await starting).status).toBe('paused');

    const resuming = manager.resume(id);
    await new Promise((r) => setTimeout(r, 300));
    const cancelled = await timed(() => manager.cancel(id));
    expect(cancelled.ms).toBeLessThan(1000);
    expect(cancelled.value.status).toBe('cancelled');
    expect(cancelled.value.error).toBeNull();
    expect((await resuming).status).toBe('cancelled');
    expect(manager.get(id).status).toBe('cancelled');
  });

  it('stalled mid-file: pause keeps the bytes, resume starts again, cancel removes the partial file', async () => {
    const manager = open();
    const started = await manager.start(server.url('/stalled/model.gguf'));
    await waitForBytes(manager, started.id, 5 * MIB);
    const paused = await timed(() => manager.pause(started.id));
    expect(paused.ms).toBeLessThan(1000);
    expect(paused.value.status).toBe('paused');
    expect(paused.value.downloadedBytes).toBeGreaterThanOrEqual(5 * MIB);
    const partial = join(dataDir, 'models', 'model.gguf.ipull');
    expect(existsSync(partial)).toBe(true);

    await manager.resume(started.id);
    expect(manager.get(started.id).status).toBe('downloading');
    const cancelled = await timed(() => manager.cancel(started.id));
    expect(cancelled.ms).toBeLessThan(1000);
    expect(cancelled.value.status).toBe('cancelled');
    expect(existsSync(partial)).toBe(false);
  });

  it('a server that answered the file description, then never answers the data requests', async () => {
    // node-llama-cpp's downloader ignores a stop until such a request is answered: the manager does not wait.
    const manager = open();
    const started = await manager.start(server.url('/mute/model.gguf'));
    expect(started.totalBytes).toBe(padded.length);
    await new Promise((r) => setTimeout(r, 300));
    const paused = await timed(() => manager.pause(started.id));
    expect(paused.ms).toBeLessThan(1000);
    expect(paused.value.status).toBe('paused');
  });
});

describe('a stall is a failure, never a wait', () => {
  it('no byte for stallMs fails the download, with the numbers', async () => {
    const manager = open({ stallMs: 1500 });
    const started = await manager.start(server.url('/stalled/model.gguf'));
    const { ms, value } = await timed(() => manager.settled(started.id));
    expect(ms).toBeLessThan(10_000);
    expect(value.status).toBe('failed');
    expect(value.error).toMatch(/model\.gguf: the server stopped sending for 2 s at 6,291,456 of 12,582,912 bytes .* Resume continues from the bytes on disk\./);
    await manager.cancel(started.id);
  });
});

describe('one stuck download blocks neither the others nor quitting', () => {
  it('a good download finishes while two are stuck; shutdown returns in < 1 s', async () => {
    const manager = open();
    const connecting = manager.start(server.url('/silent/model.gguf')).catch((e: Error) => e);
    const mute = await manager.start(server.url('/mute/model.gguf'));
    const good = await manager.start(server.url('/good/stories260K.gguf'));
    const done = await manager.settled(good.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(manager.get(mute.id).status).toBe('downloading');

    const shutdown = await timed(() => manager.shutdown());
    expect(shutdown.ms).toBeLessThan(1000);
    expect(manager.get(mute.id).status).toBe('paused');
    expect(await connecting).toMatchObject({ status: 'paused' });
  });

  // Not with the "mute" server: node-llama-cpp's downloader (ipull) ignores a stop while its request waits for
  // headers, and that socket then holds the process until undici's 300 s headers timeout (see the report).
  it('serve exits 0 within 5 s of SIGTERM with a download stalled mid-file and one connecting', { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'align-serve-download-'));
    const child = cliBackground(['--data-dir', dir, 'serve']);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (d) => {
          out += String(d);
          const url = out.split('\n').find((l) => /^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(l));
          if (url) resolve(url);
        });
        child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      });
      const url = new URL(line);
      const post = async (method: string, params: unknown) =>
        (await (
          await fetch(`${url.origin}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${url.searchParams.get('token')}` }, body: JSON.stringify(params) })
        ).json()) as { ok: boolean; result: { id: number; status: string; downloadedBytes: number } };
      const stalled = await post('downloads.start', { uri: server.url('/stalled/model.gguf') });
      expect(stalled.ok).toBe(true);
      // The silent one is still connecting when the signal comes.
      void post('downloads.start', { uri: server.url('/silent/model.gguf') }).catch(() => undefined);
      for (let t0 = Date.now(); Date.now() - t0 < 30_000; ) {
        const list = (await post('downloads.list', {})).result as unknown as { id: number; downloadedBytes: number }[];
        if ((list.find((d) => d.id === stalled.result.id)?.downloadedBytes ?? 0) >= 5 * MIB) break;
        await new Promise((r) => setTimeout(r, 100));
      }
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    const t0 = performance.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    const code = await exited;
    clearTimeout(timer);
    const ms = performance.now() - t0;
    rmSync(dir, { recursive: true, force: true });
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5000);
  });
});

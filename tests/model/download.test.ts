// Model downloads through node-llama-cpp's downloader against a real HTTP server on 127.0.0.1 that serves the
// real stories260K GGUF (never the Hub: these machines have no internet, and tests must not depend on it).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DownloadInfo } from '../../src/shared/api';
import { createServices, type Services } from '../../src/main/services/createServices';
import { readModelCatalogue } from '../../src/main/core/models/downloadCatalogue';
import { DownloadManager } from '../../src/main/core/models/downloadManager';
import { RESOURCES_DIR } from '../../src/main/paths';
import { startLoopbackFileServer, type LoopbackFileServer } from '../support/loopbackFileServer';
import { cliAsync } from '../support/cli';
import { REPO, STORIES } from '../support/paths';

const MIB = 1024 * 1024;
const stories = readFileSync(STORIES);
// The downloader (ipull) records progress per 5 MiB chunk, so a resume can only start past a chunk boundary.
// To see a real mid-file resume the server sends the real GGUF followed by zero padding up to 12 MiB (three
// chunks). Readers take a GGUF's size from its header, so the padded file is still the same valid model.
const padded = Buffer.concat([stories, Buffer.alloc(12 * MIB - stories.length)]);
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let server: LoopbackFileServer;
let dataDir: string;
let workbench: Services;

beforeAll(async () => {
  server = await startLoopbackFileServer({
    '/stories260K.gguf': { kind: 'file', body: stories },
    '/fresh/stories260K-copy.gguf': { kind: 'file', body: stories },
    '/dropped/stories260K-padded.gguf': { kind: 'file', body: padded, dropAt: 7 * MIB, drops: 1 },
    '/slow/stories260K-slow.gguf': { kind: 'file', body: padded, sliceBytes: 64 * 1024, delayMs: 20 },
    '/login/model.gguf': {
      kind: 'html',
      body: '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form>Log in to continue</form></body></html>\n',
    },
  });
});
afterAll(() => server.close());

function open(freeSpace?: (dir: string) => Promise<number>, onProgress?: (d: DownloadInfo) => void) {
  workbench ??= createServices({ dataDir, resourcesDir: RESOURCES_DIR });
  return new DownloadManager({
    store: workbench.store.downloads,
    downloadDir: () => join(dataDir, 'models'),
    addModel: (path) => workbench.library.addHashed(path),
    freeSpace,
    onProgress,
  });
}

describe('downloads from a loopback server', () => {
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'align-download-'));
  });
  afterEach(() => {
    server.requests.length = 0;
  });
  afterAll(async () => {
    await workbench?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('downloads a GGUF, verifies it and adds it to the library', async () => {
    const manager = open();
    const started = await manager.start(server.url('/stories260K.gguf'));
    expect(started.totalBytes).toBe(stories.length);
    const done = await manager.settled(started.id);
    expect(done.status).toBe('done');
    expect(done.error).toBeNull();
    const path = join(dataDir, 'models', 'stories260K.gguf');
    expect(sha(readFileSync(path))).toBe(sha(stories));
    const model = workbench.store.models.get(done.modelId!);
    expect(model?.path).toBe(path);
    expect(model?.architecture).toBe('llama');
    expect(model?.runnable).toBe(true);
    expect(done.downloadedBytes).toBe(stories.length);
  });

  it('survives a connection dropped mid-file: resumes with a Range request, byte-identical result', async () => {
    const manager = open();
    const started = await manager.start(server.url('/dropped/stories260K-padded.gguf'));
    const done = await manager.settled(started.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(sha(readFileSync(join(dataDir, 'models', 'stories260K-padded.gguf')))).toBe(sha(padded));
    const data = server.requests.filter((r) => r.method === 'GET' && r.range);
    // The downloader fetches 5 MiB chunks with Range requests. The request covering 7 MiB was cut there; the
    // retry asked again only from the start of the chunk in progress (5 MiB), not from the file's start.
    const cut = data.find((r) => r.sent > 0 && 7 * MIB - Number(/^bytes=(\d+)-/.exec(r.range!)![1]) === r.sent)!;
    expect(cut, JSON.stringify(data)).toBeDefined();
    const cutFrom = /^bytes=(\d+)-/.exec(cut.range!)![1];
    expect(data.slice(data.indexOf(cut) + 1).some((r) => r.range!.startsWith(`bytes=${cutFrom}-`))).toBe(true);
    expect(data.reduce((n, r) => n + r.sent, 0)).toBeLessThanOrEqual(padded.length + 5 * MIB);
  });

  it('resumes after a restart from the partial file on disk', async () => {
    // Quit the app once more than one 5 MiB chunk is on disk (the server sends ~3 MB/s).
    let onDisk = 0;
    let manager = open(undefined, (d) => (onDisk = d.downloadedBytes));
    const started = await manager.start(server.url('/slow/stories260K-slow.gguf'));
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        const d = manager.get(started.id);
        if (d.status !== 'downloading') return reject(new Error(`download ended early: ${d.status} ${d.error}`));
        if (onDisk > 6 * MIB) {
          clearInterval(timer);
          resolve();
        }
      }, 20);
    });
    await manager.shutdown();
    expect(manager.get(started.id).status).toBe('paused');
    expect(existsSync(join(dataDir, 'models', 'stories260K-slow.gguf.ipull'))).toBe(true);

    // A new process: the store and the download manager are opened again.
    await workbench.close();
    workbench = createServices({ dataDir, resourcesDir: RESOURCES_DIR });
    manager = open();
    const after = manager.get(started.id);
    expect(after.status).toBe('paused');
    expect(after.downloadedBytes).toBeGreaterThan(0);
    server.requests.length = 0;
    await manager.resume(started.id);
    const done = await manager.settled(started.id);
    expect(done.status, done.error ?? '').toBe('done');
    expect(sha(readFileSync(join(dataDir, 'models', 'stories260K-slow.gguf')))).toBe(sha(padded));
    const resumed = server.requests.filter((r) => r.method === 'GET' && r.range);
    const from = Number(/^bytes=(\d+)-/.exec(resumed[0]!.range!)![1]);
    expect(from).toBeGreaterThanOrEqual(5 * MIB);
    expect(from % (5 * MIB)).toBe(0);
  });

  it('reports a 404 clearly and stores the failure', async () => {
    const manager = open();
    const started = await manager.start(server.url('/no/such-model.gguf'));
    const failed = await manager.settled(started.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toMatch(/no\/such-model\.gguf: not found \(HTTP 404\)\. Check the repository and file name/);
    expect(failed.modelId).toBeNull();
    expect(existsSync(join(dataDir, 'models', 'such-model.gguf'))).toBe(false);
  });

  it('detects an HTML page served as .gguf before it becomes a model, and removes it', async () => {
    const manager = open();
    const modelsBefore = workbench.store.models.list().length;
    const started = await manager.start(server.url('/login/model.gguf'));
    const done = await manager.settled(started.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/HTML page .* not a GGUF model/);
    expect(done.modelId).toBeNull();
    expect(workbench.store.models.list()).toHaveLength(modelsBefore);
    expect(existsSync(join(dataDir, 'models', 'model.gguf'))).toBe(false);
  });

  it('refuses, with the numbers, a download that does not fit on the disk', async () => {
    const manager = open(async () => 100 * MIB);
    await expect(manager.start(server.url('/fresh/stories260K-copy.gguf'))).rejects.toThrow(
      /Not enough disk space in .*: the download needs 1\.2 MB \(1,185,376 bytes\) more .* only 104\.9 MB \(104,857,600 bytes\) is free/,
    );
  });
});

describe('align models download (the CLI, headless on a GPU box)', () => {
  const cliDir = mkdtempSync(join(tmpdir(), 'align-download-cli-'));
  const run = (...args: string[]) => cliAsync(['--data-dir', cliDir, ...args]);
  afterAll(() => rmSync(cliDir, { recursive: true, force: true }));

  it('downloads into the download folder, adds the model and prints its id last; refuses what is not a model', async () => {
    const r = await run('models', 'download', server.url('/stories260K.gguf'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^done stories260K\.gguf/m);
    expect(r.lastLine).toMatch(/^\d+$/);
    expect(sha(readFileSync(join(cliDir, 'models', 'stories260K.gguf')))).toBe(sha(stories));

    const html = await run('models', 'download', server.url('/login/model.gguf'));
    expect(html.code).toBe(1);
    expect(html.stderr).toMatch(/error: The server sent an HTML page .* not a GGUF model/);

    const missing = await run('models', 'download', server.url('/nowhere.gguf'));
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/not found \(HTTP 404\)/);
    const nonsense = await run('models', 'download', 'qwen-tiny');
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toMatch(/not an id of "models catalogue"/);

    const store = createServices({ dataDir: cliDir, resourcesDir: RESOURCES_DIR });
    try {
      expect(store.store.models.list().map((m) => [m.id, m.path])).toEqual([[Number(r.lastLine), join(cliDir, 'models', 'stories260K.gguf')]]);
      expect(store.store.downloads.list().map((d) => d.status)).toEqual(['failed', 'failed', 'done']);
    } finally {
      await store.close();
    }
  });

  it('lists the catalogue it can fetch by id', async () => {
    const r = await run('models', 'catalogue');
    expect(r.code).toBe(0);
    const catalogue = readModelCatalogue(RESOURCES_DIR);
    expect(r.stdout.trim().split('\n').map((line) => line.split('\t')[0])).toEqual(catalogue.map((e) => e.id));
    expect(r.stdout).toContain(catalogue[0]!.uri);
  });

  it('Ctrl-C pauses with exit 130 and keeps the bytes; the same command resumes to a byte-identical model', async () => {
    const url = server.url('/slow/stories260K-slow.gguf');
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/cli.ts', '--data-dir', cliDir, 'models', 'download', url], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    // Past the first 5 MiB chunk: the downloader resumes from chunk boundaries only.
    await vi.waitFor(() => expect(stderr).toMatch(/^downloading stories260K-slow\.gguf · (?:[6-9]|1[01])(?:\.\d)? MiB of/m), { timeout: 60_000, interval: 50 });
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(stdout).toMatch(/paused at .*: the same command resumes it/);

    server.requests.length = 0;
    const resumed = await run('models', 'download', url);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.lastLine).toMatch(/^\d+$/);
    // It continued from the bytes on disk: a ranged request that does not start at 0.
    expect(server.requests.some((q) => q.method === 'GET' && /^bytes=[1-9]\d*-/.test(q.range ?? ''))).toBe(true);
    expect(sha(readFileSync(join(cliDir, 'models', 'stories260K-slow.gguf')))).toBe(sha(padded));
  });
});

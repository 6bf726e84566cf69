import { createServer as createHttpServer } from 'node:http';
import { createServer, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { chooseStartMode, electronDownloadBase, ELECTRON_HEADERS_URL, probeServer } from '../../../scripts/lib/startMode.mjs';
import { listenOnLoopback } from '../../support/listenOnLoopback';

/** The decision's steps, recording what was tried. */
function steps(over: { electron?: boolean; sqlite?: boolean; unreachable?: string | null; downloads?: boolean; builds?: boolean }) {
  const tried: string[] = [];
  let electron = over.electron ?? false;
  let sqlite = over.sqlite ?? false;
  return {
    tried,
    hasElectron: () => electron,
    hasSqlite: () => sqlite,
    probe: async (url: string) => (tried.push(`probe ${url}`), over.unreachable ?? null),
    downloadElectron: () => (tried.push('download'), (electron = over.downloads ?? true)),
    buildSqlite: () => (tried.push('build'), (sqlite = over.builds ?? true)),
    env: {},
  };
}

describe('npm start: desktop or browser mode', () => {
  it('offline: never runs the Electron installer, says why and picks browser mode', async () => {
    const s = steps({ unreachable: 'github.com cannot be found (no DNS answer: offline?)' });
    expect(await chooseStartMode(s)).toEqual({ mode: 'browser', reason: 'the Electron binary cannot be fetched: github.com cannot be found (no DNS answer: offline?)' });
    expect(s.tried).toEqual(['probe https://github.com/electron/electron/releases/download/']);
  });

  it('online: downloads Electron, builds the driver, starts the desktop app', async () => {
    const s = steps({});
    expect(await chooseStartMode(s)).toEqual({ mode: 'desktop' });
    expect(s.tried).toEqual([`probe ${electronDownloadBase({})}`, 'download', `probe ${ELECTRON_HEADERS_URL}`, 'build']);
  });

  it('with everything installed it probes nothing', async () => {
    const s = steps({ electron: true, sqlite: true, unreachable: 'would fail' });
    expect(await chooseStartMode(s)).toEqual({ mode: 'desktop' });
    expect(s.tried).toEqual([]);
  });

  it('a download or build that fails falls back to browser mode with the reason', async () => {
    expect(await chooseStartMode(steps({ downloads: false }))).toEqual({ mode: 'browser', reason: 'the Electron binary could not be downloaded' });
    expect(await chooseStartMode(steps({ electron: true, builds: false }))).toEqual({ mode: 'browser', reason: 'the SQLite driver for Electron could not be built' });
  });

  it('honours ELECTRON_MIRROR for the probe, as electron\'s installer does', () => {
    expect(electronDownloadBase({ ELECTRON_MIRROR: 'https://mirror.example/electron/' })).toBe('https://mirror.example/electron/');
  });
});

describe('probeServer (real sockets on 127.0.0.1, a reserved .invalid host)', () => {
  it('a server that answers (any status) is reachable', async () => {
    const { origin, close } = await listenOnLoopback(createHttpServer((_, res) => res.writeHead(404).end()));
    try {
      expect(await probeServer(`${origin}/x`, 2000)).toBeNull();
    } finally {
      await close();
    }
  });

  it('a server that accepts and never answers: the reason, at the deadline', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const { port } = silent.address() as { port: number };
    try {
      const t0 = performance.now();
      expect(await probeServer(`http://127.0.0.1:${port}/`, 500)).toBe('127.0.0.1 did not answer within 0.5 s');
      expect(performance.now() - t0).toBeLessThan(1500);
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  });

  it('a host that does not resolve', async () => {
    const t0 = performance.now();
    expect(await probeServer('https://electron-mirror.invalid/', 3000)).toMatch(/^electron-mirror\.invalid (cannot be found \(no DNS answer: offline\?\)|did not answer within 3 s)$/);
    expect(performance.now() - t0).toBeLessThan(3500);
  });
});

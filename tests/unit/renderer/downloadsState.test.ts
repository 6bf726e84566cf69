import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvents, DownloadInfo } from '../../../src/shared/api';

// The state module talks to `api` only; a scripted one decides in which order answers and events arrive.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  const answers = new Map<string, () => Promise<unknown>>();
  return {
    listeners,
    answers,
    api: {
      call: (method: string) => answers.get(method)?.() ?? Promise.resolve([]),
      on: (event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    },
  };
});
vi.mock('../../../src/renderer/src/lib/api', () => ({ api: fake.api }));

const { DownloadsState } = await import('../../../src/renderer/src/state/downloads.svelte');

const info = (patch: Partial<DownloadInfo>): DownloadInfo => ({
  id: 1,
  uri: 'http://127.0.0.1:9/login/model.gguf',
  dir: '/models',
  catalogueId: null,
  fileName: 'model.gguf',
  totalBytes: 90,
  downloadedBytes: 0,
  status: 'downloading',
  error: null,
  modelId: null,
  bytesPerSecond: null,
  createdAt: '2026-11-27T10:00:00.000Z',
  updatedAt: '2026-11-27T10:00:00.010Z',
  ...patch,
});
/** A state whose initial loads (empty list) are done. */
async function started() {
  const state = new DownloadsState();
  state.init(() => {});
  await new Promise((resolve) => setTimeout(resolve, 0));
  return state;
}
const push = (d: DownloadInfo) => fake.listeners.get('download.progress')!(d satisfies ApiEvents['download.progress']);

describe('DownloadsState: answers and events arrive on separate channels', () => {
  beforeEach(() => {
    fake.listeners.clear();
    fake.answers.clear();
  });

  it('an answer that arrives after newer events does not bring back an older status', async () => {
    const state = await started();
    const failed = info({ status: 'failed', error: 'The server sent an HTML page', downloadedBytes: 90, updatedAt: '2026-11-27T10:00:00.030Z' });
    // A tiny file is transferred, verified and refused before `downloads.start` has answered "downloading".
    fake.answers.set('downloads.start', async () => {
      push(info({ status: 'verifying', downloadedBytes: 90, updatedAt: '2026-11-27T10:00:00.020Z' }));
      push(failed);
      return info({});
    });
    state.uri = failed.uri;
    await state.start();
    expect(state.downloads).toEqual([failed]);
  });

  it('ties go to the events: the same instant shown by an event is not replaced by the answer', async () => {
    const state = await started();
    const failed = info({ status: 'failed', error: 'HTML page' });
    fake.answers.set('downloads.start', async () => (push(failed), info({})));
    state.uri = failed.uri;
    await state.start();
    expect(state.downloads).toEqual([failed]);
  });

  it('a list answer older than the events keeps what the events showed', async () => {
    const state = new DownloadsState();
    const failed = info({ status: 'failed', error: 'HTML page', updatedAt: '2026-11-27T10:00:00.030Z' });
    fake.answers.set('downloads.list', async () => (push(failed), [info({}), info({ id: 2, status: 'done' })]));
    state.init(() => {});
    await vi.waitFor(() => expect(state.downloads.map((d) => [d.id, d.status])).toEqual([[1, 'failed'], [2, 'done']]));
  });

  it('an answer adds a download no event has shown yet, and replaces one stored earlier', async () => {
    const state = await started();
    fake.answers.set('downloads.start', async () => info({}));
    state.uri = 'hf:user/repo/model.gguf';
    await state.start();
    expect(state.downloads.map((d) => d.status)).toEqual(['downloading']);

    // Events lost (e.g. the socket is reconnecting): the pause answer, stored later, still shows.
    fake.answers.set('downloads.pause', async () => info({ status: 'paused', updatedAt: '2026-11-27T10:00:01.000Z' }));
    await state.pause(1);
    expect(state.downloads.map((d) => d.status)).toEqual(['paused']);
  });
});

import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiEvents, DownloadInfo, JudgeRunInfo, RunInfo } from '../../../src/shared/api';

// Answers (HTTP in serve mode; invoke replies in Electron) and pushed events travel on separate channels, so
// an answer can arrive after events the server sent later. The state modules talk to `api` only: a scripted
// one decides in which order answers and events arrive.
const fake = vi.hoisted(() => {
  const listeners = new Map<string, (payload: unknown) => void>();
  const answers = new Map<string, (params: any) => Promise<unknown>>();
  return {
    listeners,
    answers,
    api: {
      call: (method: string, params: unknown) => answers.get(method)?.(params) ?? Promise.resolve([]),
      on: (event: string, listener: (payload: unknown) => void) => {
        listeners.set(event, listener);
        return () => listeners.delete(event);
      },
    },
  };
});
vi.mock('../../../src/renderer/src/lib/api', () => ({ api: fake.api }));
vi.mock('../../../src/renderer/src/lib/router.svelte', () => ({ router: {} }));

const { DownloadsState } = await import('../../../src/renderer/src/state/downloads.svelte');
const { RunsState } = await import('../../../src/renderer/src/state/runs.svelte');
const { JudgesState } = await import('../../../src/renderer/src/state/judges.svelte');

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
/** A downloads state whose initial loads (empty lists) are done. */
async function started() {
  const state = new DownloadsState();
  state.init(() => {});
  await settle();
  return state;
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
const emit = <E extends keyof ApiEvents>(event: E, payload: ApiEvents[E]) => fake.listeners.get(event)!(payload);
const push = (d: DownloadInfo) => emit('download.progress', d);

beforeEach(() => {
  fake.listeners.clear();
  fake.answers.clear();
});

describe('DownloadsState', () => {
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

describe('RunsState and JudgesState: an answer older than a change pushed meanwhile is read again', () => {
  it('a run that finished while runs.start was answering shows as done', async () => {
    const state = new RunsState();
    const run = { id: 7, status: 'pending' } as RunInfo;
    let stored: RunInfo = run;
    fake.answers.set('runs.list', async () => [stored]);
    fake.answers.set('runs.get', async () => stored);
    state.init();
    await settle();
    fake.answers.set('runs.start', async () => {
      const answered = { ...run, status: 'running' } as RunInfo;
      stored = { ...run, status: 'done' };
      emit('runs.changed', { runId: 7, status: 'done' });
      await settle(); // the refetch the event started is answered before runs.start's own answer
      return answered;
    });
    await state.act(7, 'start');
    expect(state.byId(7)?.status).toBe('done');
  });

  it('runs created and finished before runs.create has answered show as done', async () => {
    const state = new RunsState();
    const stored = new Map<number, RunInfo>();
    fake.answers.set('runs.list', async () => [...stored.values()]);
    state.init();
    await settle();
    fake.answers.set('runs.get', async ({ runId }: { runId: number }) => stored.get(runId));
    const created = await state.fromAnswer(async () => {
      const answered = [8, 9].map((id) => ({ id, status: 'pending' }) as RunInfo);
      for (const r of answered) {
        stored.set(r.id, { ...r, status: 'done' });
        emit('runs.changed', { runId: r.id, status: 'done' });
      }
      await settle();
      return answered;
    });
    expect(created.map((r) => r.status)).toEqual(['pending', 'pending']);
    expect([8, 9].map((id) => state.byId(id)?.status)).toEqual(['done', 'done']);
  });

  it('a judge run answered from the cache (done at once) does not stay "running"', async () => {
    const state = new JudgesState();
    let stored: JudgeRunInfo[] = [];
    fake.answers.set('judgeRuns.list', async () => stored);
    state.init();
    await settle();
    fake.answers.set('judgeRuns.create', async () => {
      const run = { id: 3, status: 'running', createdAt: '2026-11-27T10:00:00.000Z' } as JudgeRunInfo;
      stored = [{ ...run, status: 'done' }];
      emit('judgeRuns.changed', { judgeRunId: 3, status: 'done' });
      await settle();
      return run;
    });
    expect(await state.createRun({ runIds: [7], judgeId: 1 })).toBe(true);
    expect(state.judgeRuns.map((r) => [r.id, r.status])).toEqual([[3, 'done']]);
  });
});

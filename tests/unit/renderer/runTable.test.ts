import { describe, expect, it } from 'vitest';
import type { RunInfo } from '../../../src/shared/api';
import {
  annotationWarning, batchRuns, deletionText, filterRuns, finishMix, formatSort, nextSort, parseSort, runSpeed, sortRuns,
} from '../../../src/renderer/src/lib/runTable';

function run(id: number, over: Partial<RunInfo> = {}): RunInfo {
  return {
    id, name: `run ${id}`, kind: 'generate', status: 'done', error: null, total: 10, done: 10, failed: 0, modelId: 1, modelName: 'stories',
    datasetId: 1, datasetName: 'sample', lang: 'en', method: 'zero-shot', promptLang: null, config: null, provenance: {}, environment: {},
    createdAt: '2026-12-05T10:00:00.000Z', progress: null, finishReasons: {}, tokensPerSecond: null, methodLabel: over.method ?? 'zero-shot', ...over,
  };
}

describe('run table', () => {
  it('parses and formats the sort, defaulting to newest first, and flips a column on a second click', () => {
    expect(parseSort('speed-asc')).toEqual({ column: 'speed', descending: false });
    expect(parseSort('nonsense-asc')).toEqual({ column: 'created', descending: true });
    expect(parseSort(undefined)).toEqual({ column: 'created', descending: true });
    expect(formatSort(nextSort({ column: 'model', descending: false }, 'model'))).toBe('model-desc');
    expect(nextSort({ column: 'model', descending: true }, 'status')).toEqual({ column: 'status', descending: false });
  });

  it('sorts by a column: text, progress share and speed; ties keep the newest first', () => {
    const runs = [
      run(1, { method: 'urial', done: 2, tokensPerSecond: 30 }),
      run(2, { method: 'chat', done: 10, tokensPerSecond: 5 }),
      run(3, { method: 'urial', done: 5, tokensPerSecond: null }),
    ];
    expect(sortRuns(runs, { column: 'method', descending: false }).map((r) => r.id)).toEqual([2, 3, 1]);
    expect(sortRuns(runs, { column: 'done', descending: true }).map((r) => r.id)).toEqual([2, 3, 1]);
    expect(sortRuns(runs, { column: 'speed', descending: true }).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('filters on every word across model, method, languages, dataset and status', () => {
    const runs = [run(1, { method: 'urial', lang: 'fr' }), run(2, { method: 'urial', lang: 'es', status: 'failed' }), run(3)];
    expect(filterRuns(runs, 'urial').map((r) => r.id)).toEqual([1, 2]);
    expect(filterRuns(runs, 'URIAL  fr').map((r) => r.id)).toEqual([1]);
    expect(filterRuns(runs, 'failed').map((r) => r.id)).toEqual([2]);
    expect(filterRuns(runs, ' ').length).toBe(3);
  });

  it('groups runs created within 3 s of a batch\'s first run, newest batch first', () => {
    const runs = [
      run(1, { createdAt: '2026-12-05T10:00:00.000Z' }),
      run(2, { createdAt: '2026-12-05T10:00:01.400Z' }),
      run(3, { createdAt: '2026-12-05T10:00:02.900Z' }),
      // Less than 3 s after run 3, but more than 3 s after the batch began: a run queued later, not a chain.
      run(4, { createdAt: '2026-12-05T10:00:04.000Z' }),
      run(5, { createdAt: '2026-12-05T11:00:00.000Z' }),
    ];
    const batches = batchRuns(runs, { column: 'created', descending: true });
    expect(batches.map((b) => b.runs.map((r) => r.id))).toEqual([[5], [4], [3, 2, 1]]);
    expect(batches[2]!.key).toBe(1);
  });

  it('shows the finish-reason mix in protocol order and the live speed while running', () => {
    expect(finishMix(run(1, { finishReasons: { 'max-tokens': 3, stop: 7 } }))).toBe('stop 7 · max-tokens 3');
    expect(finishMix(run(1))).toBe('–');
    const progress = { runId: 1, done: 3, total: 10, tokensPerSecond: 42, etaSeconds: 5, status: 'running' as const };
    expect(runSpeed(run(1, { status: 'running', progress, tokensPerSecond: 10 }))).toBe(42);
    expect(runSpeed(run(1, { tokensPerSecond: 10 }))).toBe(10);
  });

  it('names everything a delete takes, and warns separately about annotations', () => {
    const d = { runId: 4, runName: 'stories · urial', deleted: false, generations: 10, judgements: 1, annotations: 2, detections: 30 };
    expect(deletionText(d)).toBe(
      'Delete run #4 "stories · urial" with its 10 generations, 1 judgement, 30 detector results and 2 annotations? This cannot be undone.',
    );
    expect(annotationWarning(d)).toMatch(/2 annotations will be lost/);
  });
});

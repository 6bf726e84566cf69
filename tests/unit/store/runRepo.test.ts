import { afterEach, describe, expect, it } from 'vitest';
import { loopDetector } from '../../../src/main/core/detectors/loopDetector';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { insertVerdict } from '../../support/seedResults';

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

const LOOPING = 'the cat sat on the mat. '.repeat(40);

/** Two imported runs of 3 generations each, every generation judged and loop-checked; returns the run ids. */
async function seed(s: Store): Promise<number[]> {
  const items = ['1', '2', '3'].map((id) => ({ id, instruction: `instruction ${id}`, metadata: {} }));
  const ds = s.datasets.insert({ name: 'd', lang: 'en', sourcePath: '/x', sourceSha256: 'a', format: 'jsonl' }, items);
  const runIds: number[] = [];
  for (const name of ['keep', 'drop']) {
    const run = s.runs.insert({
      name, kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' }, environment: {}, status: 'done',
      itemIds: items.map((i) => i.id),
    });
    runIds.push(run.id);
    for (const item of items) {
      const g = s.generations.insert({
        runId: run.id, itemId: item.id, prompt: 'p', outputRaw: LOOPING, output: LOOPING, finishReason: 'max-tokens', error: null,
        promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 200, wallMs: 1, tokensPerSecond: 1, seed: 1,
      });
      insertVerdict(s, g, { scores: { helpfulness: 2, clarity: 3 } });
      const result = await loopDetector.detect(
        { outputRaw: LOOPING, output: LOOPING, finishReason: 'max-tokens', outputTokens: 200, maxTokens: 200, expectedLang: 'en', instruction: 'i', taskTypes: null },
        loopDetector.defaultSettings,
      );
      s.detections.save(g, [{ result, settings: loopDetector.defaultSettings }]);
    }
  }
  return runIds;
}

const count = (s: Store, table: string): number => (s.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('RunRepo.delete', () => {
  it('counts on a dry run, then deletes the run with its generations, judgements and detections only', async () => {
    store = openStore(':memory:');
    const [keep, drop] = await seed(store);
    const before = { generations: count(store, 'generations'), judgements: count(store, 'judgements'), detections: count(store, 'detections') };
    expect(before).toEqual({ generations: 6, judgements: 12, detections: 6 });

    const planned = store.runs.delete({ runId: drop!, dryRun: true });
    expect(planned).toEqual({ runId: drop, runName: 'drop', deleted: false, generations: 3, judgements: 6, annotations: 0, detections: 3 });
    expect(count(store, 'generations')).toBe(6);

    expect(store.runs.delete({ runId: drop! })).toEqual({ ...planned, deleted: true });
    expect(store.runs.get(drop!)).toBeUndefined();
    expect(store.runs.list().map((r) => r.id)).toEqual([keep]);
    expect({ generations: count(store, 'generations'), judgements: count(store, 'judgements'), detections: count(store, 'detections') }).toEqual({
      generations: 3, judgements: 6, detections: 3,
    });
    expect(count(store, 'judge_calls')).toBe(3);
    expect(count(store, 'run_items')).toBe(3);
  });

  it('needs confirm "annotations" when people annotated the run, and loses nothing when refused', async () => {
    store = openStore(':memory:');
    const [, drop] = await seed(store);
    const [g] = store.db.prepare('SELECT id FROM generations WHERE run_id = ? ORDER BY id').all(drop) as { id: number }[];
    store.annotations.save(g!.id, 'ann', { labels: ['infinite-loop'] });
    // An edit supersedes the first annotation: the person made one annotation, which is what the count says.
    store.annotations.save(g!.id, 'ann', { labels: ['infinite-loop'], note: 'repeats' });

    expect(store.runs.delete({ runId: drop!, dryRun: true }).annotations).toBe(1);
    expect(() => store!.runs.delete({ runId: drop! })).toThrow(/has 1 annotation\(s\).*confirm: "annotations"/);
    expect(count(store, 'generations')).toBe(6);
    expect(count(store, 'annotations')).toBe(2);

    expect(store.runs.delete({ runId: drop!, confirm: 'annotations' })).toMatchObject({ deleted: true, annotations: 1, generations: 3 });
    expect(count(store, 'annotations')).toBe(0);
    expect(count(store, 'annotation_events')).toBe(0);
  });

  it('refuses a running run and an unknown run', async () => {
    store = openStore(':memory:');
    const [keep] = await seed(store);
    store.runs.setStatus(keep!, 'running');
    expect(() => store!.runs.delete({ runId: keep! })).toThrow(/is running: pause or cancel it first/);
    expect(store.runs.get(keep!)).toBeDefined();
    expect(() => store!.runs.delete({ runId: 999 })).toThrow(/There is no run 999/);
  });
});

describe('RunRepo.summary', () => {
  it('gives the finish-reason mix and the mean speed of a run, and nothing for a run without generations', async () => {
    store = openStore(':memory:');
    const [keep] = await seed(store);
    store.db.prepare("UPDATE generations SET finish_reason = 'stop', tokens_per_second = 4 WHERE run_id = ? AND item_id = '1'").run(keep);
    expect(store.runs.summary(keep!)).toEqual({ finishReasons: { 'max-tokens': 2, stop: 1 }, tokensPerSecond: 2 });
    const ds = store.datasets.list()[0]!;
    const empty = store.runs.insert({
      name: 'empty', kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' }, environment: {}, status: 'pending', itemIds: [],
    });
    expect(store.runs.summary(empty.id)).toEqual({ finishReasons: {}, tokensPerSecond: null });
  });
});

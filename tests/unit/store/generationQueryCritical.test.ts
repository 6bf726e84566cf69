import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DetectorResult, Finding } from '../../../src/shared/detection';
import type { GenerationFilter } from '../../../src/shared/generations';
import { openStore, type Store } from '../../../src/main/store/openStore';

// The reader's critical-error filter and row badges (issue 13 item 6): detector findings (one detections row per
// detector, findings_json), annotators' current labels, and each row's annotation status.
let store: Store;
let ids: number[];

const finding = (label: Finding['label'], detector: string, start = 0, end = 4): Finding => ({
  label, detector, version: '1', score: 0.9, evidence: { spans: [{ start, end }], note: `${label} here` },
});
const detect = (generationId: number, detector: string, findings: Finding[]) => {
  const result: DetectorResult = { detector, version: '1', signals: {}, findings };
  store.detections.save(generationId, [{ result, settings: {} }]);
};

beforeEach(() => {
  store = openStore(':memory:');
  const items = Array.from({ length: 6 }, (_, i) => ({ id: String(i), instruction: `instruction ${i}`, metadata: {} }));
  const ds = store.datasets.insert({ name: 'd', lang: 'en', sourcePath: '/x', sourceSha256: 'a', format: 'jsonl' }, items);
  const run = store.runs.insert({
    name: 'r', kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'zero-shot' }, environment: {}, status: 'done',
    itemIds: items.map((i) => i.id),
  });
  ids = items.map((i) =>
    store.generations.insert({
      runId: run.id, itemId: i.id, prompt: 'p', outputRaw: `output ${i.id}`, output: `output ${i.id}`, finishReason: 'stop', error: null,
      promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 1,
    }),
  );
  const [g0, g1, g2, g3] = ids as [number, number, number, number];
  // g0: code-leak and a loop from two detectors; g1: code-leak only; g2: detectors ran, found nothing; g3: wrong-language.
  detect(g0, 'code', [finding('code-leak', 'code')]);
  detect(g0, 'loop', [finding('infinite-loop', 'loop', 2, 8)]);
  detect(g1, 'code', [finding('code-leak', 'code')]);
  detect(g2, 'code', []);
  detect(g3, 'language', [finding('wrong-language', 'language')]);
  // g0: code-leak accepted, the loop left pending; g1: code-leak rejected; g2: annotated clean; g4: an annotator's own label.
  store.annotations.save(g0, 'ana', { labels: ['code-leak'], decisions: { 'code-leak': 'accepted' } });
  store.annotations.save(g1, 'ana', { labels: [], decisions: { 'code-leak': 'rejected' } });
  store.annotations.save(g2, 'ana', { labels: [] });
  store.annotations.save(ids[4]!, 'ana', { labels: ['other'] });
});
afterEach(() => store.close());

const matching = (filter: GenerationFilter) => store.reader.query(filter, 0, 100).rows.map((r) => ids.indexOf(r.id));
const total = (filter: GenerationFilter) => store.reader.query(filter, 0, 1).total;

describe('GenerationQueryRepo: critical errors', () => {
  it('filters by the detectors’ findings: a label, any, none', () => {
    expect(matching({ critical: 'code-leak' })).toEqual([0, 1]);
    expect(matching({ critical: 'infinite-loop' })).toEqual([0]);
    expect(matching({ critical: 'any' })).toEqual([0, 1, 3]);
    expect(matching({ critical: 'none' })).toEqual([2, 4, 5]);
    expect(matching({ critical: 'empty' })).toEqual([]);
    expect([total({ critical: 'code-leak' }), total({ critical: 'none' })]).toEqual([2, 3]);
  });

  it('filters by the annotators’ current labels; none = annotated and given no label', () => {
    expect(matching({ critical: 'code-leak', criticalSource: 'annotator' })).toEqual([0]);
    expect(matching({ critical: 'any', criticalSource: 'annotator' })).toEqual([0, 4]);
    expect(matching({ critical: 'none', criticalSource: 'annotator' })).toEqual([1, 2]);
    // A later save supersedes: only current annotations count.
    store.annotations.save(ids[0]!, 'ana', { labels: [], decisions: { 'code-leak': 'rejected', 'infinite-loop': 'rejected' } });
    expect(matching({ critical: 'code-leak', criticalSource: 'annotator' })).toEqual([]);
  });

  it('combines with the other filters', () => {
    expect(matching({ critical: 'code-leak', search: 'output' })).toEqual([0, 1]);
    expect(matching({ critical: 'any', finishReasons: ['eos'] })).toEqual([]);
  });

  it('gives each row its detector labels and annotation status', () => {
    const rows = store.reader.query({}, 0, 100).rows;
    expect(rows.map((r) => r.labels)).toEqual([['code-leak', 'infinite-loop'], ['code-leak'], [], ['wrong-language'], [], []]);
    // g0: the loop suggestion is still pending; g3: suggested, nobody annotated; g1: rejected = decided.
    expect(rows.map((r) => r.annotation)).toEqual(['pending', 'decided', 'decided', 'pending', 'decided', 'none']);
  });

  it('gives the detail its findings with their evidence', () => {
    expect(store.reader.get(ids[0]!)!.findings).toEqual([finding('code-leak', 'code'), finding('infinite-loop', 'loop', 2, 8)]);
    expect(store.reader.get(ids[5]!)!.findings).toEqual([]);
  });
});

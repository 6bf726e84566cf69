import { afterEach, describe, expect, it } from 'vitest';
import { CRITICAL_LABELS } from '../../../src/shared/detection';
import { openStore, type Store } from '../../../src/main/store/openStore';

let store: Store | undefined;
afterEach(() => {
  store?.close();
  store = undefined;
});

/** A store with one imported run of `n` generations; returns their ids in item order. */
function seed(n: number, runs = 1): { store: Store; ids: number[][] } {
  const s = openStore(':memory:');
  const items = Array.from({ length: n }, (_, i) => ({ id: String(i), instruction: `instruction ${i}`, metadata: {} }));
  const ids: number[][] = [];
  for (let r = 0; r < runs; r++) {
    const ds = s.datasets.insert({ name: `d${r}`, lang: r % 2 ? 'fr' : 'en', sourcePath: '/x', sourceSha256: 'a', format: 'jsonl' }, items);
    const run = s.runs.insert({
      name: `r${r}`, kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: r % 2 ? 'urial' : 'zero-shot' }, environment: {}, status: 'done',
      itemIds: items.map((i) => i.id),
    });
    ids.push(
      items.map(
        (i) =>
          s.generations.insert({
            runId: run.id, itemId: i.id, prompt: 'p', outputRaw: 'o', output: 'o', finishReason: 'stop', error: null,
            promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 1,
          }),
      ),
    );
  }
  return { store: s, ids };
}

describe('AnnotationRepo', () => {
  it('seeds the built-in labels with definitions, in CRITICAL_LABELS order, and adds project labels', () => {
    ({ store } = seed(0));
    const labels = store.annotations.labels();
    expect(labels.map((l) => l.name)).toEqual([...CRITICAL_LABELS]);
    expect(labels.every((l) => l.builtin && l.definition.length > 10)).toBe(true);
    expect(store.annotations.addLabel('off-topic', 'Answers another question.')).toEqual({ name: 'off-topic', definition: 'Answers another question.', builtin: false });
    expect(store.annotations.labels().at(-1)).toMatchObject({ name: 'off-topic', builtin: false });
    expect(() => store!.annotations.addLabel('off-topic', 'again')).toThrow(/already exists/);
    expect(() => store!.annotations.addLabel('Off Topic', 'x')).toThrow(/lowercase/);
    expect(() => store!.annotations.addLabel('x', '  ')).toThrow(/definition/);
  });

  it('keeps one current annotation per generation × annotator, with its history', () => {
    const s = seed(2);
    store = s.store;
    const [g1, g2] = s.ids[0]!;
    expect(store.annotations.current(g1!, 'ana')).toBeNull();
    store.annotations.save(g1!, 'ana', { labels: ['infinite-loop'] });
    store.annotations.save(g1!, 'ana', { labels: ['infinite-loop', 'truncated', 'truncated'], note: 'cut', decisions: { 'infinite-loop': 'accepted' } });
    store.annotations.save(g1!, 'ben', { labels: [] });
    store.annotations.save(g2!, 'ana', { labels: ['other'], note: '  ' });
    expect(store.annotations.current(g1!, 'ana')).toMatchObject({ labels: ['infinite-loop', 'truncated'], note: 'cut', decisions: { 'infinite-loop': 'accepted' } });
    expect(store.annotations.current(g1!, 'ben')).toMatchObject({ labels: [], note: null });
    expect(store.annotations.current(g2!, 'ana')).toMatchObject({ labels: ['other'], note: null });
    expect(store.annotations.history(g1!, 'ana').map((a) => a.labels)).toEqual([['infinite-loop'], ['infinite-loop', 'truncated']]);
    expect(store.annotations.currentIn().map((a) => [a.generationId, a.annotator])).toEqual([[g1, 'ana'], [g1, 'ben'], [g2, 'ana']]);
    expect(() => store!.annotations.save(g1!, 'ana', { labels: ['nope'] })).toThrow(/Unknown label/);
    expect(() => store!.annotations.save(999, 'ana', { labels: [] })).toThrow(/No generation/);
  });

  it('undoes an annotator\'s changes one at a time, back to no annotation, without touching others', () => {
    const s = seed(2);
    store = s.store;
    const [g1, g2] = s.ids[0]!;
    const a = store.annotations;
    a.save(g1!, 'ana', { labels: ['empty'] });
    a.save(g2!, 'ana', { labels: ['code-leak'] });
    a.save(g1!, 'ben', { labels: ['other'] });
    a.save(g2!, 'ana', { labels: ['code-leak', 'other'], note: 'n' });
    expect(a.undo('ana')).toMatchObject({ generationId: g2, annotation: { labels: ['code-leak'], note: null } });
    expect(a.undo('ana')).toEqual({ generationId: g2, annotation: null });
    expect(a.current(g2!, 'ana')).toBeNull();
    expect(a.current(g1!, 'ana')).toMatchObject({ labels: ['empty'] });
    // A save after an undo starts a new branch; undo then steps back over it only.
    a.save(g2!, 'ana', { labels: ['truncated'] });
    expect(a.undo('ana')).toEqual({ generationId: g2, annotation: null });
    expect(a.undo('ana')).toEqual({ generationId: g1, annotation: null });
    expect(a.undo('ana')).toBeNull();
    expect(a.current(g1!, 'ben')).toMatchObject({ labels: ['other'] });
    // History keeps every state, undone ones included.
    expect(a.history(g2!, 'ana').map((x) => x.labels)).toEqual([['code-leak'], ['code-leak', 'other'], ['truncated']]);
  });

  it('assigns overlap items to every annotator and the rest to one each, reproducibly', () => {
    const s = seed(50);
    store = s.store;
    const ids = s.ids[0]!;
    const r = store.annotations.assign(ids, ['ana', 'ben'], 0.2, 7);
    expect(r.overlapItems).toBe(10);
    // 10 shared + 40 split in turn: 20 each.
    expect(r.perAnnotator).toEqual({ ana: 30, ben: 30 });
    const ana = store.annotations.assigned('ana');
    const ben = store.annotations.assigned('ben');
    expect(ana.filter((id) => ben.includes(id))).toHaveLength(10);
    expect(new Set([...ana, ...ben]).size).toBe(50);
    // Same seed → same split; another seed → another one. Reassigning replaces, never piles up.
    store.annotations.assign(ids, ['ana', 'ben'], 0.2, 7);
    expect(store.annotations.assigned('ana')).toEqual(ana);
    store.annotations.assign(ids, ['ana', 'ben'], 0.2, 8);
    expect(store.annotations.assigned('ana')).not.toEqual(ana);
    expect(store.annotations.assigned('ana')).toHaveLength(30);
    const three = store.annotations.assign(ids, ['ana', 'ben', 'cy'], 0.1, 1);
    expect(three).toEqual({ overlapItems: 5, perAnnotator: { ana: 20, ben: 20, cy: 20 } });
    expect(() => store!.annotations.assign(ids, [], 0.2, 1)).toThrow();
    expect(() => store!.annotations.assign(ids, ['a'], 1.5, 1)).toThrow();
  });

  it('queues assigned items, else all, in flagged-first, seeded random or stratified order', () => {
    const s = seed(6, 2);
    store = s.store;
    const [en, fr] = s.ids as [number[], number[]];
    const finding = (label: 'infinite-loop' | 'code-leak') => ({ label, detector: 'd', version: '1', score: 1, evidence: { spans: [], note: '' } });
    store.detections.save(en[3]!, [{ result: { detector: 'd', version: '1', signals: {}, findings: [finding('code-leak')] }, settings: {} }]);
    store.detections.save(fr[1]!, [{ result: { detector: 'd', version: '1', signals: {}, findings: [finding('code-leak'), finding('infinite-loop')] }, settings: {} }]);
    const q = (order: 'flagged-first' | 'random' | 'stratified', extra: { runIds?: number[]; seed?: number; annotator?: string } = {}) =>
      store!.annotations.queue({ annotator: 'ana', order, limit: 100, ...extra });

    const flagged = q('flagged-first');
    expect(flagged.total).toBe(12);
    expect(flagged.entries.slice(0, 3)).toEqual([
      { generationId: fr[1], findings: 2, annotated: false },
      { generationId: en[3], findings: 1, annotated: false },
      { generationId: en[0], findings: 0, annotated: false },
    ]);
    const random = q('random', { seed: 3 }).entries.map((e) => e.generationId);
    expect(q('random', { seed: 3 }).entries.map((e) => e.generationId)).toEqual(random);
    expect(q('random', { seed: 4 }).entries.map((e) => e.generationId)).not.toEqual(random);
    expect([...random].sort((a, b) => a - b)).toEqual([...en, ...fr]);
    // Stratified alternates the two (model × method × lang) groups.
    const strat = q('stratified').entries.map((e) => (en.includes(e.generationId) ? 'en' : 'fr'));
    expect(strat.every((lang, i) => i === 0 || lang !== strat[i - 1])).toBe(true);
    expect(strat.filter((l) => l === 'en')).toHaveLength(6);
    expect(q('flagged-first', { runIds: [2] }).total).toBe(6);
    expect(store.annotations.queue({ annotator: 'ana', order: 'random', limit: 4 }).entries).toHaveLength(4);

    store.annotations.save(en[0]!, 'ana', { labels: [] });
    expect(q('flagged-first').entries.find((e) => e.generationId === en[0])!.annotated).toBe(true);
    // Once assignments exist, each annotator's queue is theirs only.
    store.annotations.assign([...en, ...fr], ['ana', 'ben'], 0.5, 1);
    expect(q('flagged-first').total).toBe(9);
    expect(q('flagged-first', { annotator: 'ben' }).total).toBe(9);
  });
});

import type { Store } from '../../../src/main/store/openStore';

/** An imported run (no model) with `count` generations of items "1", "2", … (real SQLite store, no model). */
export function addRun(store: Store, lang: string, method: string, count: number): number[] {
  const items = Array.from({ length: count }, (_, k) => ({ id: String(k + 1), instruction: `q${k + 1}`, category: 'regular', metadata: {} }));
  const dataset = store.datasets.byName(`ds-${lang}`) ?? store.datasets.insert({ name: `ds-${lang}`, lang, sourcePath: '/x', sourceSha256: 'x', format: 'jsonl', parallelGroup: 'g' }, items);
  const run = store.runs.insert({ name: `${lang} ${method}`, kind: 'imported', modelId: null, datasetId: dataset.id, config: null, method: { method }, environment: {}, status: 'done', itemIds: items.map((i) => i.id) });
  return items.map((item) =>
    store.generations.insert({
      runId: run.id, itemId: item.id, prompt: 'p', outputRaw: `answer ${item.id}`, output: `answer ${item.id}`, finishReason: 'stop', error: null,
      promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 0, generator: 'gpt-test',
    }),
  );
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GenerationFilter } from '../../../src/shared/api';
import type { FinishReason, Item } from '../../../src/shared/domain';
import { DatasetRepo } from '../../../src/main/store/DatasetRepo';
import { toFtsQuery } from '../../../src/main/store/generationFilterSql';
import { GenerationQueryRepo, OUTPUT_PREVIEW_CHARS } from '../../../src/main/store/GenerationQueryRepo';
import { GenerationRepo } from '../../../src/main/store/GenerationRepo';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { RunRepo } from '../../../src/main/store/RunRepo';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { insertVerdict } from '../../support/seedResults';

// ─── Fixture ───────────────────────────────────────────────────────────────

const item = (id: string, instruction: string, category?: string, taskTypes?: string[]): Item => ({
  id,
  instruction,
  metadata: {},
  ...(category ? { category } : {}),
  ...(taskTypes ? { taskTypes } : {}),
});

const EN = [
  item('1', 'Explain renewable énergie to a child.', 'science', ['explain', 'open-qa']),
  item('2', 'Write a poem about the sea.', 'writing', ['creative']),
  item('3', 'List three prime numbers.', 'math', ['open-qa']),
];
const FR = [
  item('1', "Explique l'énergie renouvelable à un enfant.", 'science', ['explain', 'open-qa']),
  item('2', 'Écris un poème sur la mer.', 'writing', ['creative']),
  item('3', 'Donne trois nombres premiers.', 'math', ['open-qa']),
];
/** Same item ids as EN, but not a translation: never in EN's side-by-side. */
const OTHER = [item('1', 'Describe a niño at play.')];
/** Has a run but no generations: its language, method and category are not facets. */
const ES = [item('1', 'Escribe un poema.', 'poetry', ['haiku'])];

interface Seeded {
  id: number;
  runId: number;
  itemId: string;
  lang: string;
  method: string;
  modelId: number | null;
  category: string | null;
  taskTypes: string[];
  finishReason: FinishReason;
  output: string;
}

const dataset = (name: string, lang: string) => ({ name, lang, sourcePath: `/data/${name}.jsonl`, sourceSha256: name, format: 'jsonl' });
const model = (name: string) => ({
  path: `/models/${name}.gguf`, name, sha256: name, sizeBytes: 1, architecture: 'llama', parameterCount: null, quantization: null,
  trainContextSize: 2048, chatTemplate: null, runnable: true, metadata: {},
});
const generation = (runId: number, itemId: string, finishReason: FinishReason, output: string, generator: string | null = null) => ({
  runId, itemId, prompt: `prompt ${itemId}`, outputRaw: `${output}<raw>`, output, finishReason, error: finishReason === 'error' ? 'boom' : null,
  promptTokens: 11, evaluatedPromptTokens: 7, outputTokens: output.length, wallMs: 5, tokensPerSecond: 30, seed: 42, generator,
});

function seed(store: Store) {
  const en = store.datasets.insert(dataset('en', 'en'), EN);
  const fr = store.datasets.insert(dataset('fr', 'fr'), FR);
  const other = store.datasets.insert(dataset('other', 'en'), OTHER);
  const es = store.datasets.insert(dataset('es', 'es'), ES);
  store.datasets.link([en.id, fr.id], 'je');
  const qwen = store.models.upsert(model('qwen-0.5b')).id;
  const smol = store.models.upsert(model('smol-360m')).id;
  const run = (name: string, modelId: number | null, datasetId: number, method: string) =>
    store.runs.insert({
      name, kind: modelId === null ? 'imported' : 'generate', modelId, datasetId, config: null, method: { method, promptFile: 'x.txt' },
      environment: {}, status: 'done', itemIds: ['1', '2', '3'],
    }).id;
  const runs = {
    enZero: run('en zero-shot qwen', qwen, en.id, 'zero-shot'),
    enUrial: run('en urial qwen', qwen, en.id, 'urial'),
    frZero: run('fr zero-shot smol', smol, fr.id, 'zero-shot'),
    enImported: run('en imported', null, en.id, 'imported'),
    otherChat: run('other chat smol', smol, other.id, 'chat'),
    esCustom: run('es custom (nothing generated)', smol, es.id, 'custom'),
  };
  const meta = {
    [runs.enZero]: { lang: 'en', method: 'zero-shot', modelId: qwen, items: EN },
    [runs.enUrial]: { lang: 'en', method: 'urial', modelId: qwen, items: EN },
    [runs.frZero]: { lang: 'fr', method: 'zero-shot', modelId: smol, items: FR },
    [runs.enImported]: { lang: 'en', method: 'imported', modelId: null, items: EN },
    [runs.otherChat]: { lang: 'en', method: 'chat', modelId: smol, items: OTHER },
  };
  const plan: [number, string, FinishReason, string, string?][] = [
    [runs.enZero, '1', 'stop', 'Energy comes from the sun and wind.'],
    [runs.enZero, '2', 'max-tokens', 'The sea is blue and deep and'],
    [runs.enZero, '3', 'stop', '2, 3, 5'],
    [runs.enUrial, '1', 'stop', 'Renewable energy is clean.'],
    [runs.enUrial, '2', 'eos', 'Waves whisper OR sing'],
    [runs.enUrial, '3', 'error', ''],
    [runs.frZero, '1', 'stop', "L'énergie renouvelable vient du soleil."],
    [runs.frZero, '2', 'stop', 'La mer chante.'],
    [runs.enImported, '1', 'stop', 'A kaleidoscope of power.', 'gpt-4o'],
    [runs.otherChat, '1', 'stop', 'The niño runs.'],
  ];
  const rows: Seeded[] = plan.map(([runId, itemId, finishReason, output, generator]) => {
    store.generations.insert(generation(runId, itemId, finishReason, output, generator ?? null));
    const { id } = store.db.prepare('SELECT id FROM generations WHERE run_id = ? AND item_id = ?').get(runId, itemId) as { id: number };
    const m = meta[runId]!;
    const it = m.items.find((i) => i.id === itemId)!;
    return { id, runId, itemId, lang: m.lang, method: m.method, modelId: m.modelId, category: it.category ?? null, taskTypes: it.taskTypes ?? [], finishReason, output };
  });
  return { runs, rows, datasets: { en, fr, other, es }, models: { qwen, smol } };
}

/** What query() must return, computed in plain JS from the seed. */
function oracle(rows: Seeded[], f: GenerationFilter): number[] {
  const has = <T>(list: readonly T[] | undefined, v: T) => !list || list.length === 0 || list.includes(v);
  return rows
    .filter(
      (r) =>
        has(f.runIds, r.runId) &&
        has(f.modelIds, r.modelId as number) &&
        has(f.methods, r.method) &&
        has(f.langs, r.lang) &&
        has(f.finishReasons, r.finishReason) &&
        (!f.category || r.category === f.category) &&
        (!f.taskType || r.taskTypes.includes(f.taskType)),
    )
    .map((r) => r.id)
    .sort((a, b) => a - b);
}

let store: Store;
let fx: ReturnType<typeof seed>;
const ids = (filter: GenerationFilter, offset = 0, limit = 1000) => store.reader.query(filter, offset, limit).rows.map((r) => r.id);
const idOf = (runId: number, itemId: string) => fx.rows.find((r) => r.runId === runId && r.itemId === itemId)!.id;
const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);

beforeEach(() => {
  store = openStore(':memory:');
  fx = seed(store);
});
afterEach(() => store.close());

// ─── query ─────────────────────────────────────────────────────────────────

describe('GenerationQueryRepo.query', () => {
  it('returns every generation in id order with its list fields when there is no filter', () => {
    const { rows, total } = store.reader.query({}, 0, 100);
    expect(total).toBe(fx.rows.length);
    expect(rows.map((r) => r.id)).toEqual(sorted(fx.rows.map((r) => r.id)));
    const first = rows.find((r) => r.id === idOf(fx.runs.frZero, '1'))!;
    expect(first).toEqual({
      id: idOf(fx.runs.frZero, '1'),
      runId: fx.runs.frZero,
      itemId: '1',
      lang: 'fr',
      method: 'zero-shot',
      modelName: 'smol-360m',
      instruction: "Explique l'énergie renouvelable à un enfant.",
      outputPreview: "L'énergie renouvelable vient du soleil.",
      finishReason: 'stop',
      outputTokens: "L'énergie renouvelable vient du soleil.".length,
      labels: [],
      annotation: 'none',
    });
  });

  it('names an imported run’s model by its generator', () => {
    const [row] = store.reader.query({ runIds: [fx.runs.enImported] }, 0, 10).rows;
    expect(row).toMatchObject({ modelName: 'gpt-4o', method: 'imported' });
  });

  it('cuts the output preview, counting characters rather than bytes', () => {
    const long = 'é'.repeat(OUTPUT_PREVIEW_CHARS + 50);
    store.db.prepare('UPDATE generations SET output = ? WHERE id = ?').run(long, idOf(fx.runs.enZero, '1'));
    const row = store.reader.query({ runIds: [fx.runs.enZero] }, 0, 1).rows[0]!;
    expect(row.outputPreview).toBe('é'.repeat(OUTPUT_PREVIEW_CHARS));
  });

  const single: [string, () => GenerationFilter][] = [
    ['runIds', () => ({ runIds: [fx.runs.enUrial, fx.runs.frZero] })],
    ['modelIds', () => ({ modelIds: [fx.models.smol] })],
    ['methods', () => ({ methods: ['zero-shot'] })],
    ['methods (several)', () => ({ methods: ['urial', 'imported'] })],
    ['langs', () => ({ langs: ['fr'] })],
    ['category', () => ({ category: 'writing' })],
    ['taskType', () => ({ taskType: 'open-qa' })],
    ['finishReasons', () => ({ finishReasons: ['max-tokens', 'error'] })],
  ];
  it.each(single)('filters by %s alone', (_name, make) => {
    const filter = make();
    const expected = oracle(fx.rows, filter);
    expect(expected.length).toBeGreaterThan(0);
    expect(expected.length).toBeLessThan(fx.rows.length);
    expect(ids(filter)).toEqual(expected);
    expect(store.reader.query(filter, 0, 1000).total).toBe(expected.length);
  });

  it('matches hand-written expectations for a few filters (the oracle is not the only judge)', () => {
    expect(ids({ category: 'writing' })).toEqual(sorted([idOf(fx.runs.enZero, '2'), idOf(fx.runs.enUrial, '2'), idOf(fx.runs.frZero, '2')]));
    expect(ids({ finishReasons: ['error'] })).toEqual([idOf(fx.runs.enUrial, '3')]);
    expect(ids({ langs: ['fr'], taskType: 'creative' })).toEqual([idOf(fx.runs.frZero, '2')]);
  });

  const combined: [string, () => GenerationFilter][] = [
    ['method + lang + finish reason', () => ({ methods: ['zero-shot'], langs: ['en'], finishReasons: ['stop'] })],
    ['model + category', () => ({ modelIds: [fx.models.qwen], category: 'science' })],
    ['runs + task type + finish reason', () => ({ runIds: [fx.runs.enZero, fx.runs.enUrial], taskType: 'open-qa', finishReasons: ['stop'] })],
    ['lang + category + task type', () => ({ langs: ['en'], category: 'science', taskType: 'explain' })],
    ['everything at once', () => ({ runIds: [fx.runs.enZero, fx.runs.frZero], modelIds: [fx.models.qwen], methods: ['zero-shot'], langs: ['en'], category: 'math', taskType: 'open-qa', finishReasons: ['stop'] })],
    ['contradictory (no match)', () => ({ methods: ['urial'], langs: ['fr'] })],
  ];
  it.each(combined)('ANDs filters: %s', (_name, make) => {
    const filter = make();
    expect(ids(filter)).toEqual(oracle(fx.rows, filter));
    expect(store.reader.query(filter, 0, 1000).total).toBe(oracle(fx.rows, filter).length);
  });

  it('treats empty lists and empty strings as "no filter"', () => {
    const all = ids({});
    expect(ids({ runIds: [], modelIds: [], methods: [], langs: [], finishReasons: [], category: '', taskType: '', search: '' })).toEqual(all);
  });

  it('pages in a stable order, with the same total on every page', () => {
    for (const filter of [{}, { langs: ['en'] }, { category: 'science' }, { search: 'energie' }] as GenerationFilter[]) {
      const all = ids(filter);
      const pages: number[] = [];
      for (let offset = 0; offset < all.length; offset += 3) {
        const page = store.reader.query(filter, offset, 3);
        expect(page.total).toBe(all.length);
        pages.push(...page.rows.map((r) => r.id));
      }
      expect(pages).toEqual(all);
    }
  });

  it('reports the total past the last page and with limit 0, for run-level and item-level filters', () => {
    for (const filter of [{ langs: ['en'] }, { category: 'writing' }] as GenerationFilter[]) {
      const n = oracle(fx.rows, filter).length;
      expect(store.reader.query(filter, n, 10)).toEqual({ rows: [], total: n });
      expect(store.reader.query(filter, n + 100, 10)).toEqual({ rows: [], total: n });
      expect(store.reader.query(filter, 0, 0)).toEqual({ rows: [], total: n });
    }
  });

  it('pages without a filter far past the first rows the same way as near them', () => {
    // Above the internal threshold the unfiltered page is read through an index instead of the table.
    const insert = store.db.prepare(
      `INSERT INTO generations (run_id, item_id, prompt, output_raw, output, finish_reason, created_at) VALUES (?, ?, 'p', 'o', 'o', 'stop', 'now')`,
    );
    store.db.transaction(() => {
      for (let k = 0; k < 2600; k++) insert.run(fx.runs.esCustom, `extra-${k}`);
    })();
    const all = ids({}, 0, 10_000);
    expect(all).toHaveLength(fx.rows.length + 2600);
    expect(ids({}, 2500, 50)).toEqual(all.slice(2500, 2550));
    expect(ids({}, 100, 50)).toEqual(all.slice(100, 150));
    expect(store.reader.query({}, 2500, 50).total).toBe(all.length);
  });
});

// ─── Full-text search ──────────────────────────────────────────────────────

describe('GenerationQueryRepo.query: search', () => {
  const search = (text: string, extra: GenerationFilter = {}) => ids({ ...extra, search: text });

  it('folds accents and case: "energie" and "ENERGIE" find "énergie", "nino" finds "niño"', () => {
    const energie = sorted([
      idOf(fx.runs.enZero, '1'), idOf(fx.runs.enUrial, '1'), idOf(fx.runs.enImported, '1'), // EN instruction
      idOf(fx.runs.frZero, '1'), // FR instruction and output
    ]);
    expect(search('energie')).toEqual(energie);
    expect(search('ENERGIE')).toEqual(energie);
    expect(search('énergie')).toEqual(energie);
    expect(search('nino')).toEqual([idOf(fx.runs.otherChat, '1')]);
    expect(search('poeme')).toEqual([idOf(fx.runs.frZero, '2')]);
  });

  it('searches the instruction (every run on that item) and the output (that generation only)', () => {
    // "poem": only in the EN instruction of item 2.
    expect(search('poem')).toEqual(sorted([idOf(fx.runs.enZero, '2'), idOf(fx.runs.enUrial, '2')]));
    // "whisper": only in one output.
    expect(search('whisper')).toEqual([idOf(fx.runs.enUrial, '2')]);
    // "kaleidoscope": only in the imported output.
    expect(search('kaleidoscope')).toEqual([idOf(fx.runs.enImported, '1')]);
  });

  it('ANDs terms, combines with the other filters, and keeps a trailing * as a prefix search', () => {
    expect(search('energie renouvelable')).toEqual([idOf(fx.runs.frZero, '1')]);
    expect(search('energie', { langs: ['en'], methods: ['urial'] })).toEqual([idOf(fx.runs.enUrial, '1')]);
    expect(search('energie', { finishReasons: ['max-tokens'] })).toEqual([]);
    expect(search('kaleido*')).toEqual([idOf(fx.runs.enImported, '1')]);
    expect(search('kaleido')).toEqual([]);
    expect(store.reader.query({ search: 'energie', category: 'science' }, 0, 100).total).toBe(4);
  });

  it.each([
    'a"b OR (',
    '"',
    '""',
    '(',
    ')',
    'OR',
    'AND',
    'NOT',
    'NEAR(',
    '*',
    '**',
    'energie*)',
    '-energie',
    'output:energie',
    '^energie',
    '{instruction output}: energie',
    "l'énergie",
    '\\',
    '+',
    '   ',
    '\u0000',
  ])('never throws on hostile input %j', (text) => {
    expect(() => store.reader.query({ search: text }, 0, 10)).not.toThrow();
    expect(() => store.reader.query({ search: text, langs: ['en'], category: 'science' }, 0, 10)).not.toThrow();
  });

  it('searches FTS5 operators as plain words', () => {
    // "OR" is a word of one output, not an operator.
    expect(search('OR')).toEqual([idOf(fx.runs.enUrial, '2')]);
    expect(search('whisper OR nonexistent')).toEqual([]);
    expect(search('"whisper')).toEqual([idOf(fx.runs.enUrial, '2')]);
    expect(search("l'énergie")).toEqual([idOf(fx.runs.frZero, '1')]);
  });

  it('treats a search with nothing searchable (only punctuation) as no search', () => {
    expect(search('*')).toEqual(ids({}));
    expect(search('( ) "')).toEqual(ids({}));
  });

  it('builds quoted FTS5 phrases from the user text', () => {
    expect(toFtsQuery(undefined)).toBeNull();
    expect(toFtsQuery('  ')).toBeNull();
    expect(toFtsQuery('a"b OR (')).toBe('"a""b" "OR"');
    expect(toFtsQuery('éner* x')).toBe('"éner"* "x"');
    expect(toFtsQuery('* ( )')).toBeNull();
  });

  it('keeps the index in sync with inserts, replaced failures, updates and deletes', () => {
    const run = fx.runs.enZero;
    // A failed attempt then its replacement (GenerationRepo deletes the failed row and inserts a new one).
    store.db.prepare('DELETE FROM generations WHERE run_id = ? AND item_id = ?').run(run, '3');
    store.generations.insert(generation(run, '3', 'error', 'zebra partial'));
    expect(search('zebra')).toHaveLength(1);
    store.generations.insert(generation(run, '3', 'stop', 'quokka final'));
    expect(search('zebra')).toEqual([]);
    const [quokka] = search('quokka');
    expect(quokka).toBeDefined();
    // Instruction of the new row is indexed too (item 3 of EN).
    expect(search('prime')).toContain(quokka);

    store.db.prepare('UPDATE generations SET output = ? WHERE id = ?').run('wombat', quokka);
    expect(search('quokka')).toEqual([]);
    expect(search('wombat')).toEqual([quokka]);

    store.db.prepare('DELETE FROM generations WHERE id = ?').run(quokka);
    expect(search('wombat')).toEqual([]);
  });

  it('leaves no stale entry for a reused rowid', () => {
    // Without AUTOINCREMENT, SQLite reuses the largest rowid once it is deleted: a stale FTS row would then match
    // the new generation.
    store.generations.insert({ ...generation(fx.runs.esCustom, '1', 'stop', 'platypus'), generator: null });
    const [id] = search('platypus');
    store.db.prepare('DELETE FROM generations WHERE id = ?').run(id);
    store.generations.insert(generation(fx.runs.esCustom, '1', 'stop', 'narwhal'));
    expect(search('narwhal')).toEqual([id]);
    expect(search('platypus')).toEqual([]);
  });

  it('drops the entries of generations removed by a cascade (run deleted)', () => {
    const doomed = fx.runs.enImported;
    const id = idOf(doomed, '1');
    store.db.prepare('DELETE FROM run_items WHERE run_id = ?').run(doomed);
    store.db.prepare('DELETE FROM runs WHERE id = ?').run(doomed);
    const fts = store.db.prepare("SELECT rowid FROM generations_fts WHERE generations_fts MATCH 'kaleidoscope'").all();
    expect(fts).toEqual([]);
    expect(search('kaleidoscope')).toEqual([]);
    expect(store.reader.get(id)).toBeUndefined();
  });

  it('reindexes generations when their item’s instruction changes', () => {
    store.db.prepare('UPDATE items SET instruction = ? WHERE dataset_id = ? AND item_id = ?').run('Tell me about axolotls.', fx.datasets.en.id, '3');
    expect(search('axolotls')).toEqual(sorted([idOf(fx.runs.enZero, '3'), idOf(fx.runs.enUrial, '3')]));
    expect(search('prime')).toEqual([]);
  });
});

// ─── get, sideBySide, facets ───────────────────────────────────────────────

describe('GenerationQueryRepo.get', () => {
  it('returns the generation in full with its run, dataset, item and model', () => {
    const id = idOf(fx.runs.enUrial, '1');
    expect(store.reader.get(id)).toEqual({
      id,
      runId: fx.runs.enUrial,
      runName: 'en urial qwen',
      itemId: '1',
      lang: 'en',
      method: 'urial',
      modelName: 'qwen-0.5b',
      instruction: 'Explain renewable énergie to a child.',
      category: 'science',
      taskTypes: ['explain', 'open-qa'],
      prompt: 'prompt 1',
      outputRaw: 'Renewable energy is clean.<raw>',
      output: 'Renewable energy is clean.',
      finishReason: 'stop',
      error: null,
      promptTokens: 11,
      evaluatedPromptTokens: 7,
      outputTokens: 'Renewable energy is clean.'.length,
      wallMs: 5,
      tokensPerSecond: 30,
      seed: 42,
      findings: [],
    });
  });

  it('returns nulls for an item without category/task types and the generator for an imported run', () => {
    expect(store.reader.get(idOf(fx.runs.otherChat, '1'))).toMatchObject({ category: null, taskTypes: null, instruction: 'Describe a niño at play.' });
    expect(store.reader.get(idOf(fx.runs.enImported, '1'))).toMatchObject({ modelName: 'gpt-4o', method: 'imported', runName: 'en imported' });
    expect(store.reader.get(idOf(fx.runs.enUrial, '3'))).toMatchObject({ finishReason: 'error', error: 'boom', output: '' });
  });

  it('returns undefined for an unknown id', () => {
    expect(store.reader.get(999_999)).toBeUndefined();
  });
});

describe('GenerationQueryRepo.sideBySide', () => {
  const columns = (id: number, runIds?: number[]) => store.reader.sideBySide(id, runIds).map((c) => [c.lang, c.method, c.modelName, c.runId]);

  it('puts the item next to its translations and other methods, ordered by language, method, model, run', () => {
    const cols = store.reader.sideBySide(idOf(fx.runs.enZero, '1'));
    expect(cols.map((c) => [c.lang, c.method, c.modelName, c.runId])).toEqual([
      ['en', 'imported', 'gpt-4o', fx.runs.enImported],
      ['en', 'urial', 'qwen-0.5b', fx.runs.enUrial],
      ['en', 'zero-shot', 'qwen-0.5b', fx.runs.enZero],
      ['fr', 'zero-shot', 'smol-360m', fx.runs.frZero],
    ]);
    // Each column carries its own run's instruction and output; "other" shares the item id but is not linked.
    expect(cols.at(-1)).toEqual({
      id: idOf(fx.runs.frZero, '1'),
      runId: fx.runs.frZero,
      runName: 'fr zero-shot smol',
      itemId: '1',
      lang: 'fr',
      method: 'zero-shot',
      modelName: 'smol-360m',
      instruction: "Explique l'énergie renouvelable à un enfant.",
      output: "L'énergie renouvelable vient du soleil.",
      finishReason: 'stop',
      outputTokens: "L'énergie renouvelable vient du soleil.".length,
      scores: [],
      findings: [],
      annotated: [],
    });
    // Same answer from the French side.
    expect(columns(idOf(fx.runs.frZero, '1'))).toEqual(cols.map((c) => [c.lang, c.method, c.modelName, c.runId]));
  });

  it("gives each cell its judge means per aspect, the detectors' labels and the annotators' current labels", () => {
    const id = idOf(fx.runs.frZero, '1');
    insertVerdict(store, id, { repeat: 0, scores: { clarity: 4, helpfulness: 2 } });
    insertVerdict(store, id, { repeat: 1, scores: { clarity: 5, helpfulness: null } });
    insertVerdict(store, id, { judge: 'other-judge', scores: { helpfulness: 3 } });
    const finding = (label: string) => ({ label, detector: 'd', version: '1', score: 1, evidence: { spans: [] } });
    store.detections.save(id, [
      { result: { detector: 'loop', version: '1', signals: {}, findings: [finding('truncated'), finding('infinite-loop')] as never }, settings: {} },
      { result: { detector: 'lang', version: '1', signals: {}, findings: [finding('infinite-loop')] as never }, settings: {} },
    ]);
    store.annotations.save(id, 'ana', { labels: ['code-leak'] });
    store.annotations.save(id, 'ana', { labels: ['empty'] });
    store.annotations.save(id, 'ben', { labels: ['empty', 'other'] });

    const cell = store.reader.sideBySide(id).find((c) => c.id === id)!;
    // Aspect order, not alphabetical; N/A left out of the mean; every judge counted.
    expect(cell.scores).toEqual([
      { aspect: 'helpfulness', mean: 2.5, n: 2 },
      { aspect: 'clarity', mean: 4.5, n: 2 },
    ]);
    expect(cell.findings).toEqual(['infinite-loop', 'truncated']);
    // ana's first annotation was superseded.
    expect(cell.annotated).toEqual(['empty', 'other']);
    const other = store.reader.sideBySide(id).find((c) => c.id !== id)!;
    expect([other.scores, other.findings, other.annotated]).toEqual([[], [], []]);
  });

  it('has one column per run that has the item (failed ones included)', () => {
    expect(columns(idOf(fx.runs.enZero, '3'))).toEqual([
      ['en', 'urial', 'qwen-0.5b', fx.runs.enUrial],
      ['en', 'zero-shot', 'qwen-0.5b', fx.runs.enZero],
    ]);
  });

  it('keeps only the given runs', () => {
    expect(columns(idOf(fx.runs.enZero, '1'), [fx.runs.frZero, fx.runs.enZero, fx.runs.otherChat])).toEqual([
      ['en', 'zero-shot', 'qwen-0.5b', fx.runs.enZero],
      ['fr', 'zero-shot', 'smol-360m', fx.runs.frZero],
    ]);
    expect(columns(idOf(fx.runs.enZero, '1'), [])).toHaveLength(4);
  });

  it('shows only the dataset itself when it is in no parallel group', () => {
    expect(columns(idOf(fx.runs.otherChat, '1'))).toEqual([['en', 'chat', 'smol-360m', fx.runs.otherChat]]);
  });

  it('returns [] for an unknown id', () => {
    expect(store.reader.sideBySide(999_999)).toEqual([]);
  });
});

describe('GenerationQueryRepo.facets', () => {
  it('lists the values present in stored generations, for the filter dropdowns', () => {
    expect(store.reader.facets()).toEqual({
      methods: ['chat', 'imported', 'urial', 'zero-shot'],
      langs: ['en', 'fr'],
      finishReasons: ['stop', 'eos', 'max-tokens', 'error'],
      categories: ['math', 'science', 'writing'],
      taskTypes: ['creative', 'explain', 'open-qa'],
    });
  });

  it('is empty on an empty store', () => {
    const empty = openStore(':memory:');
    expect(empty.reader.facets()).toEqual({ methods: [], langs: [], finishReasons: [], categories: [], taskTypes: [] });
    expect(empty.reader.query({ search: 'x' }, 0, 10)).toEqual({ rows: [], total: 0 });
    empty.close();
  });
});

// ─── Query plans ───────────────────────────────────────────────────────────

describe('GenerationQueryRepo query plans', () => {
  /** A plan line that reads the whole generations table (not an index, not rowid lookups). */
  const fullScan = (line: string) => /^SCAN (g|generations)\b(?! USING)/.test(line);
  const both = (filter: GenerationFilter, offset = 5000) => [...store.reader.plan(filter, offset, 100), ...store.reader.countPlan(filter)];

  it.each<[string, GenerationFilter]>([
    ['method + lang + finish reason', { methods: ['urial'], langs: ['fr'], finishReasons: ['stop'] }],
    ['runs', { runIds: [1, 2] }],
    ['model', { modelIds: [1] }],
    ['method', { methods: ['urial'] }],
    ['lang', { langs: ['fr'] }],
    ['finish reason', { finishReasons: ['error'] }],
    ['category', { category: 'math' }],
    ['task type + lang', { taskType: 'open-qa', langs: ['en'] }],
  ])('searches an index of generations for %s, never scanning the table', (_name, filter) => {
    const lines = both(filter);
    expect(lines.filter(fullScan)).toEqual([]);
    expect(lines.some((l) => /^SEARCH g USING (COVERING )?INDEX/.test(l))).toBe(true);
  });

  it('uses the method expression index and the (finish_reason, run_id) index for method + lang + finish reason', () => {
    const lines = both({ methods: ['urial'], langs: ['fr'], finishReasons: ['stop'] });
    expect(lines).toContain('SEARCH g USING COVERING INDEX generations_finish_reason_run (finish_reason=? AND run_id=?)');
    expect(lines.some((l) => l.includes('USING INDEX runs_method') || l.includes('USING COVERING INDEX runs_method'))).toBe(true);
  });

  it('drives a search from the FTS5 index and looks generations up by rowid', () => {
    for (const filter of [{ search: 'energie' }, { search: 'energie', methods: ['urial'] }] as GenerationFilter[]) {
      const lines = both(filter);
      expect(lines.some((l) => /generations_fts VIRTUAL TABLE INDEX \d+:M/.test(l))).toBe(true);
      expect(lines).toContain('SEARCH g USING INTEGER PRIMARY KEY (rowid=?)');
      expect(lines.filter(fullScan)).toEqual([]);
    }
  });

  it('reads a deep unfiltered page through an index, not by walking the table', () => {
    expect(store.reader.plan({}, 50_000, 100).filter(fullScan)).toEqual([]);
  });
});

// ─── Migration 0002 on an existing database ───────────────────────────────

describe('migration 0002 (reader)', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('upgrades a version-1 file with data: indexes created, old generations found by search', () => {
    dir = mkdtempSync(join(tmpdir(), 'align-reader-'));
    const file = join(dir, 'w.sqlite');
    const v1 = new Database(file);
    migrate(v1, MIGRATIONS.slice(0, 1));
    expect(v1.pragma('user_version', { simple: true })).toBe(1);
    const ds = new DatasetRepo(v1).insert(dataset('fr', 'fr'), [
      item('7', "Décris l'énergie solaire.", 'science', ['explain']),
      item('8', 'Nomme un fleuve.', 'geo'),
    ]);
    const run = new RunRepo(v1).insert({
      name: 'old', kind: 'generate', modelId: null, datasetId: ds.id, config: null, method: { method: 'urial' }, environment: {}, status: 'running', itemIds: ['7', '8'],
    });
    new GenerationRepo(v1).insert(generation(run.id, '7', 'stop', 'Les panneaux photovoltaïques.'));
    v1.close();

    const upgraded = openStore(file);
    try {
      expect(upgraded.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      const indexes = (upgraded.db.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toEqual(expect.arrayContaining(['generations_finish_reason_run', 'runs_method', 'runs_dataset_id', 'items_dataset_category']));
      // Backfilled: by instruction and by output, accents folded.
      const byInstruction = upgraded.reader.query({ search: 'energie solaire' }, 0, 10);
      const byOutput = upgraded.reader.query({ search: 'photovoltaiques' }, 0, 10);
      expect(byInstruction.total).toBe(1);
      expect(byOutput.rows.map((r) => r.id)).toEqual(byInstruction.rows.map((r) => r.id));
      expect(byInstruction.rows[0]).toMatchObject({ lang: 'fr', method: 'urial', itemId: '7', modelName: null });
      // The run resumes after the upgrade: its new row is indexed by the trigger.
      upgraded.generations.insert(generation(run.id, '8', 'stop', 'La Loire.'));
      expect(upgraded.reader.query({ search: 'loire' }, 0, 10).rows.map((r) => r.itemId)).toEqual(['8']);
      expect(upgraded.reader.query({ search: 'fleuve' }, 0, 10).total).toBe(1);
      expect(upgraded.reader.facets().categories).toEqual(['geo', 'science']);
    } finally {
      upgraded.close();
    }
  });

  it('indexes nothing twice: an empty database migrates, then triggers index new rows once', () => {
    const db = new Database(':memory:');
    migrate(db);
    const reader = new GenerationQueryRepo(db);
    const ds = new DatasetRepo(db).insert(dataset('en', 'en'), [item('1', 'Hello there')]);
    const run = new RunRepo(db).insert({
      name: 'r', kind: 'generate', modelId: null, datasetId: ds.id, config: null, method: { method: 'chat' }, environment: {}, status: 'done', itemIds: ['1'],
    });
    new GenerationRepo(db).insert(generation(run.id, '1', 'stop', 'General Kenobi'));
    expect(reader.query({ search: 'kenobi' }, 0, 10).total).toBe(1);
    expect(reader.query({ search: 'hello' }, 0, 10).total).toBe(1);
    expect(db.prepare("SELECT count(*) AS n FROM generations_fts WHERE generations_fts MATCH 'hello'").get()).toEqual({ n: 1 });
    db.close();
  });
});

/**
 * P5: the generations reader at 100k generations. Builds a real SQLite file (same pragmas and migrations as the app)
 * with synthetic runs, then times GenerationQueryRepo.query() (page + total, as the API calls it) for a filtered
 * page and a full-text search page, each against a full-scan baseline computing the same answer in the same process.
 * No model needed.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import type { GenerationFilter } from '../src/shared/api';
import { mulberry32 } from '../src/shared/random';
import type { FinishReason, Item } from '../src/shared/domain';
import { openStore, type Store } from '../src/main/store/openStore';
import { f, median, say, verdict, type BenchOptions, type BenchResult } from './common';

const TARGET_MS = 50;
const REPS = 21;
const MODELS = ['qwen2.5-0.5b-instruct', 'smollm2-360m'];
const METHODS = ['zero-shot', 'urial', 'chat', 'custom'];
const LANGS = ['en', 'fr', 'es'];
/** Parallel groups of EN/FR/ES datasets: 4 × 3 datasets × 1,050 items × 2 models × 4 methods = 100,800 generations. */
const GROUPS = 4;
const ITEMS_PER_DATASET = 1050;
const CATEGORIES = ['reasoning', 'writing', 'coding', 'math', 'info-seek', 'role-play', 'advice'];
const TASK_TYPES = ['open-qa', 'brainstorm', 'rewrite', 'classify', 'summarize', 'extract'];
/** In ~0.8% of outputs and ~0.25% of instructions (so ~1% of generations); never produced by the word generator. */
const RARE_WORD = 'kaleidoscope';

const FILTER: GenerationFilter = { methods: ['urial'], langs: ['fr'], finishReasons: ['stop'] };
const FILTER_PAGE = { offset: 5000, limit: 100 };
const SEARCH: GenerationFilter = { search: RARE_WORD };
const SEARCH_PAGE = { offset: 0, limit: 100 };

/** Deterministic, so every run builds the same database. */
const rng = mulberry32;

const SYLLABLES: Record<string, string[]> = {
  en: ['the', 'an', 'ing', 'tion', 'er', 'pro', 'con', 'ex', 'ment', 'al', 'ly', 'ate', 'com', 'in', 're', 'ble', 'ous', 'ward', 'th', 'st'],
  fr: ['le', 'la', 'é', 'è', 'tion', 'ment', 'eau', 'ou', 'ê', 'ç', 'on', 'que', 'ré', 'dé', 'ière', 'ant', 'eur', 'à', 'oi', 'gn'],
  es: ['el', 'la', 'ción', 'mente', 'ñ', 'qu', 'ero', 'ía', 'á', 'ó', 'es', 'ar', 'ido', 'ad', 'ue', 'll', 'rr', 'ú', 'con', 'des'],
};

/** ~3,000 pseudo-words per language, with its accents; picked with a Zipf-like skew, as real text is. */
function vocabulary(lang: string, random: () => number): string[] {
  const syllables = SYLLABLES[lang]!;
  const words = new Set<string>();
  while (words.size < 3000) {
    const n = 1 + Math.floor(random() * 4);
    let w = '';
    for (let i = 0; i < n; i++) w += syllables[Math.floor(random() * syllables.length)];
    if (!w.includes(RARE_WORD)) words.add(w);
  }
  return [...words];
}

function text(words: string[], count: number, random: () => number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(words[Math.floor(words.length * random() ** 3)]!);
    if (i % 14 === 13) out[out.length - 1] += '.';
  }
  return out.join(' ');
}

function insertWord(s: string, word: string, random: () => number): string {
  const words = s.split(' ');
  words.splice(Math.floor(random() * words.length), 0, word);
  return words.join(' ');
}

/** Builds the synthetic store in one transaction through a plain INSERT (the FTS triggers of migration 0002 fire). */
export function build(store: Store): { generations: number } {
  const random = rng(20240605);
  const vocab = Object.fromEntries(LANGS.map((l) => [l, vocabulary(l, random)]));
  const modelIds = MODELS.map(
    (name, i) =>
      store.models.upsert({
        path: `/models/${name}.gguf`, name, sha256: `sha${i}`, sizeBytes: 1, architecture: 'llama', parameterCount: null,
        quantization: 'Q4_K_M', trainContextSize: 4096, chatTemplate: null, runnable: true, metadata: {},
      }).id,
  );
  const insertGeneration = store.db.prepare(
    `INSERT INTO generations (run_id, item_id, prompt, output_raw, output, finish_reason, error, prompt_tokens,
       evaluated_prompt_tokens, output_tokens, wall_ms, tokens_per_second, seed, generator, extra_json, created_at)
     VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, 0, NULL, '{}', ?)`,
  );
  let generations = 0;
  store.db.transaction(() => {
    for (let group = 0; group < GROUPS; group++) {
      // Category, task types and whether the rare word is in the instruction are per item id, shared by translations.
      const shape = Array.from({ length: ITEMS_PER_DATASET }, () => ({
        category: CATEGORIES[Math.floor(random() * CATEGORIES.length)]!,
        taskTypes: TASK_TYPES.filter(() => random() < 0.3),
        rare: random() < 0.0025,
        words: 15 + Math.floor(random() * 45),
      }));
      for (const lang of LANGS) {
        const items: Item[] = shape.map((s, k) => {
          const instruction = text(vocab[lang]!, s.words, random);
          return {
            id: `g${group}-${k}`,
            instruction: s.rare ? insertWord(instruction, RARE_WORD, random) : instruction,
            category: s.category,
            taskTypes: s.taskTypes,
            metadata: {},
          };
        });
        const dataset = store.datasets.insert(
          { name: `set${group}-${lang}`, lang, sourcePath: `/data/set${group}-${lang}.jsonl`, sourceSha256: 'x', format: 'jsonl', parallelGroup: `set${group}` },
          items,
        );
        for (const [m, modelId] of modelIds.entries()) {
          for (const method of METHODS) {
            const run = store.runs.insert({
              name: `${MODELS[m]} · ${method} · set${group}-${lang}`, kind: 'generate', modelId, datasetId: dataset.id,
              config: null, method: { method }, environment: {}, status: 'done', itemIds: items.map((it) => it.id),
            });
            const now = new Date().toISOString();
            for (const item of items) {
              const roll = random();
              const finish: FinishReason = roll < 0.8 ? 'stop' : roll < 0.9 ? 'eos' : roll < 0.98 ? 'max-tokens' : 'error';
              let output = finish === 'error' ? '' : text(vocab[lang]!, finish === 'max-tokens' ? 220 : 30 + Math.floor(random() * 150), random);
              if (finish !== 'error' && random() < 0.008) output = insertWord(output, RARE_WORD, random);
              // Prompt: template + instruction. A real URIAL prompt also carries a ~14 kB preamble; leaving it out
              // keeps the file small and makes the full-scan baseline faster, i.e. the comparison conservative.
              const prompt = `# Query:\n\`\`\`${item.instruction}\`\`\`\n\n# Answer:\n\`\`\``;
              const tokens = Math.ceil(output.length / 4);
              insertGeneration.run(run.id, item.id, prompt, `${output}\n\`\`\`\n\n# Query`, output, finish, prompt.length / 4 | 0, 20, tokens, tokens * 8, 120, now);
              generations++;
            }
          }
        }
      }
    }
  })();
  return { generations };
}

interface Timed<T> {
  ms: number;
  result: T;
}
function time<T>(fn: () => T): Timed<T> {
  const started = performance.now();
  const result = fn();
  return { ms: performance.now() - started, result };
}

/** Same answer as `query(FILTER, …)`, by scanning the whole generations table (NOT INDEXED forbids its indexes). */
function scanFiltered(db: Database.Database): { ids: number[]; total: number } {
  const where = `FROM generations g NOT INDEXED JOIN runs r ON r.id = g.run_id JOIN datasets d ON d.id = r.dataset_id
    WHERE json_extract(r.method_json, '$.method') = ? AND d.lang = ? AND g.finish_reason = ?`;
  const params = [FILTER.methods![0], FILTER.langs![0], FILTER.finishReasons![0]];
  const { n } = db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n ${where}`).get(...params)!;
  const rows = db
    .prepare<unknown[], { id: number }>(
      `SELECT g.id, g.item_id, substr(g.output, 1, 200) AS preview ${where} ORDER BY g.id LIMIT ? OFFSET ?`,
    )
    .all(...params, FILTER_PAGE.limit, FILTER_PAGE.offset);
  return { ids: rows.map((r) => r.id), total: n };
}

/** Same answer as the FTS search, by LIKE over every output and instruction (the word is ASCII: LIKE folds its case). */
function scanSearch(db: Database.Database): { ids: number[]; total: number } {
  const where = `FROM generations g NOT INDEXED JOIN runs r ON r.id = g.run_id
    LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id
    WHERE g.output LIKE ? OR i.instruction LIKE ?`;
  const like = `%${RARE_WORD}%`;
  const { n } = db.prepare<unknown[], { n: number }>(`SELECT count(*) AS n ${where}`).get(like, like)!;
  const rows = db
    .prepare<unknown[], { id: number }>(`SELECT g.id, substr(g.output, 1, 200) AS preview ${where} ORDER BY g.id LIMIT ? OFFSET ?`)
    .all(like, like, SEARCH_PAGE.limit, SEARCH_PAGE.offset);
  return { ids: rows.map((r) => r.id), total: n };
}

export async function runP5(_options: BenchOptions): Promise<BenchResult> {
  say('P5', `generations reader · ${GROUPS * LANGS.length} datasets × ${ITEMS_PER_DATASET} items × ${MODELS.length} models × ${METHODS.length} methods · real SQLite file · median of ${REPS}`);
  const dir = mkdtempSync(join(tmpdir(), 'align-bench-p5-'));
  const file = join(dir, 'workbench.sqlite');
  try {
    let store = openStore(file);
    const built = time(() => build(store));
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    store.close();
    const mb = statSync(file).size / 1e6;
    say('P5', `built ${built.result.generations} generations in ${f(built.ms / 1000, 1)} s (one transaction, FTS triggers on) · file ${f(mb, 0)} MB`);

    // Reopened: SQLite's page cache starts empty (the OS file cache is warm, as it is for a user browsing).
    store = openStore(file);
    const reader = store.reader;
    const problems: string[] = [];

    const arms = [
      {
        name: 'filtered page',
        describe: `method=urial & lang=fr & finish=stop, offset ${FILTER_PAGE.offset}, limit ${FILTER_PAGE.limit}`,
        indexed: () => reader.query(FILTER, FILTER_PAGE.offset, FILTER_PAGE.limit),
        scan: () => scanFiltered(store.db),
        scanLabel: 'full scan (NOT INDEXED, same SQL filter)',
        plans: [...reader.plan(FILTER, FILTER_PAGE.offset, FILTER_PAGE.limit).map((l) => `page  ${l}`), ...reader.countPlan(FILTER).map((l) => `count ${l}`)],
      },
      {
        name: 'search page',
        describe: `search "${RARE_WORD}" (FTS5), offset ${SEARCH_PAGE.offset}, limit ${SEARCH_PAGE.limit}`,
        indexed: () => reader.query(SEARCH, SEARCH_PAGE.offset, SEARCH_PAGE.limit),
        scan: () => scanSearch(store.db),
        scanLabel: `LIKE '%${RARE_WORD}%' over output and instruction`,
        plans: [...reader.plan(SEARCH, SEARCH_PAGE.offset, SEARCH_PAGE.limit).map((l) => `page  ${l}`), ...reader.countPlan(SEARCH).map((l) => `count ${l}`)],
      },
    ];

    const results = arms.map((arm) => {
      // Warm-up, and the check that both arms compute the same answer.
      const a = arm.indexed();
      const b = arm.scan();
      const same = a.total === b.total && a.rows.map((r) => r.id).join() === b.ids.join();
      if (!same) problems.push(`${arm.name}: indexed (${a.total}) and scan (${b.total}) disagree`);
      const indexedMs: number[] = [];
      const scanMs: number[] = [];
      // Interleaved, so a burst of load on the machine hits both arms alike.
      for (let rep = 0; rep < REPS; rep++) {
        indexedMs.push(time(arm.indexed).ms);
        scanMs.push(time(arm.scan).ms);
      }
      const indexed = median(indexedMs);
      const scan = median(scanMs);
      const pass = indexed < TARGET_MS && same;
      say('P5', `${arm.name}: ${arm.describe} → ${a.total} matching, ${a.rows.length} rows`);
      for (const line of arm.plans) say('P5', `  plan  ${line}`);
      say('P5', `  indexed ${f(indexed, 2)} ms (min ${f(Math.min(...indexedMs), 2)}) · ${arm.scanLabel} ${f(scan, 1)} ms · ${f(scan / indexed, 0)}× faster · target < ${TARGET_MS} ms ${verdict(pass)}`);
      return { name: arm.name, indexed, scan, pass };
    });
    store.close();

    for (const p of problems) say('P5', `PROBLEM: ${p}`);
    const worst = Math.max(...results.map((r) => r.indexed));
    const pass = results.every((r) => r.pass) && problems.length === 0;
    return {
      id: 'P5',
      metric: 'slowest reader page (median ms)',
      value: worst,
      shown: `${f(worst, 1)} ms`,
      target: `< ${TARGET_MS} ms`,
      pass,
      context: results.map((r) => `${r.name} ${f(r.indexed, 1)} vs scan ${f(r.scan, 0)} ms (${f(r.scan / r.indexed, 0)}×)`).join('; '),
      problems,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

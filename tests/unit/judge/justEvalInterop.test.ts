/**
 * Interop with just-eval's own judge files, on every file of ../shared/data/just_eval: import into a real SQLite
 * store, then the Results aggregation gives exactly report()'s means ("as-5") and the means without the judge's
 * N/A ("exclude"); the export writes the file back byte for byte.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { NaPolicy } from '../../../src/shared/judging';
import { aspectCells } from '../../../src/main/core/analysis';
import {
  readJustEvalJudgeFile,
  toJustEvalRecord,
  writeJustEvalJudgeFile,
  type JustEvalJudgeRecord,
} from '../../../src/main/core/judge/justEval/justEvalJudgeFile';
import { judgeCallJsonl } from '../../../src/main/core/judge/judgeCallJsonl';
import { importJustEvalJudgeFile } from '../../../src/main/store/importJustEvalJudgeFile';
import { openStore, type Store } from '../../../src/main/store/openStore';

const JUST_EVAL = join(__dirname, '../../../../shared/data/just_eval');
const FILES = [
  ...readdirSync(join(JUST_EVAL, 'eval_outputs_examples')).filter((f) => /score_(multi|safety)/.test(f) && !f.includes('eval_res')).map((f) => join(JUST_EVAL, 'eval_outputs_examples', f)),
  ...readdirSync(join(JUST_EVAL, 'leaderboard_dev')).filter((f) => f.includes('.score_safety.')).map((f) => join(JUST_EVAL, 'leaderboard_dev', f)),
];

const dir = mkdtempSync(join(tmpdir(), 'align-just-eval-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let stores = 0;
const freshStore = (): Store => openStore(join(dir, `store-${stores++}.sqlite`));
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

/**
 * report()'s means (evaluate.py.txt): items with parsed_result only; a literal "N/A" is 5.0 (as-5) or left out
 * (exclude). A parsed_result of None (a reply better_json_loads could not read) makes report() crash; it is
 * left out here, as the import stores it: unreadable.
 */
function reportMeans(records: readonly JustEvalJudgeRecord[], policy: NaPolicy): Record<string, number> {
  const scores: Record<string, number[]> = {};
  for (const r of records) {
    if (!('parsed_result' in r) || r.parsed_result === null) continue;
    for (const [aspect, result] of Object.entries(r.parsed_result!)) {
      scores[aspect] ??= [];
      if (result.score !== 'N/A') scores[aspect].push(Number(result.score));
      else if (policy === 'as-5') scores[aspect].push(5.0);
    }
  }
  return Object.fromEntries(Object.entries(scores).map(([a, xs]) => [a, xs.reduce((s, x) => s + x, 0) / xs.length]));
}

/** The Results view's per-aspect means and counts for one run, through the store's aggregate SQL and aspectCells. */
function resultsMeans(store: Store, runId: number, naPolicy: NaPolicy) {
  const cells = aspectCells(store.results.scoreLevelRows({ runIds: [runId], naPolicy }, []), [], { resamples: 1000 });
  return {
    means: Object.fromEntries(cells.map((c) => [c.aspect, c.mean])),
    cells: Object.fromEntries(cells.map((c) => [c.aspect, c])),
  };
}

describe.each(FILES.map((f) => [f.slice(JUST_EVAL.length + 1), f]))('just-eval judge file %s', (_name, path) => {
  const records = JSON.parse(readFileSync(path, 'utf8')) as JustEvalJudgeRecord[];
  const store = freshStore();
  afterAll(() => store.close());
  const file = readJustEvalJudgeFile(path);
  const { runId, imported } = importJustEvalJudgeFile(store, file, { path, sha256: sha(path) });

  it('imports every call as a run of imported outputs, judged by the file\'s model with the original rubric', () => {
    expect(imported).toBe(records.length);
    expect(file.judge).toBe(`import:${records[0]!.eval_config.gpt}`);
    expect(file.rubricVersion).toBe(records[0]!.eval_config.mode === 'score_safety' ? 'just-eval-original-safety@1' : 'just-eval-original-multi@1');
    expect(store.runs.get(runId)).toMatchObject({ kind: 'imported', status: 'done' });
  });

  it('gives report()\'s means with "as-5" and the means without N/A with "exclude"', () => {
    for (const policy of ['as-5', 'exclude'] as const) {
      const expected = reportMeans(records, policy);
      expect(Object.keys(expected).length).toBeGreaterThan(0);
      expect(resultsMeans(store, runId, policy).means).toEqual(expected);
    }
  });

  it('exports the calls back in just-eval\'s format, byte for byte', () => {
    const calls = store.judgements.callsOfRun(runId);
    expect(calls).toHaveLength(records.length);
    expect(writeJustEvalJudgeFile(calls.map((c) => toJustEvalRecord({ ...c, user: c.prompt.user })))).toBe(readFileSync(path, 'utf8'));
  });

  it('judges an existing run: items matched by id; a different output is refused, naming the item', () => {
    const again = freshStore();
    try {
      const { runId: target } = importJustEvalJudgeFile(again, { ...file, judge: 'import:first' }, { path, sha256: 'x' });
      expect(importJustEvalJudgeFile(again, file, { path, sha256: 'x', runId: target })).toEqual({ runId: target, imported: records.length, alreadyStored: 0 });
      expect(again.runs.list()).toHaveLength(1);
      const changed = { ...file, judge: 'import:second', calls: file.calls.map((c, i) => (i === 1 ? { ...c, output: `${c.output} ` } : c)) };
      expect(() => importJustEvalJudgeFile(again, changed, { path, sha256: 'x', runId: target })).toThrow(`item ${file.calls[1]!.itemId}: the file's output_cand differs from run ${target}'s output`);
      // All-or-nothing: the first record, before the refused one, was not stored either.
      expect(again.judgements.callsOfRun(target, { judge: 'import:second' })).toHaveLength(0);
    } finally {
      again.close();
    }
  });
});

const WITH_EVAL_RES = FILES.filter((f) => readdirSync(join(f, '..')).includes(f.split('/').pop()!.replace(/\.json$/, '.eval_res.json')));

describe('the eval_res.json just-eval published next to its judge files', () => {
  it('exists for the two example files made with the official template', () => {
    expect(WITH_EVAL_RES.map((f) => f.split('/').pop())).toEqual(['1.safety.score_safety.chatgpt.json', '1.score_multi.gpt-4.json']);
  });

  it.each(WITH_EVAL_RES)('%s: "as-5" Results equal its means exactly', (path) => {
    const store = freshStore();
    try {
      const { runId } = importJustEvalJudgeFile(store, readJustEvalJudgeFile(path), { path, sha256: sha(path) });
      const res = JSON.parse(readFileSync(path.replace(/\.json$/, '.eval_res.json'), 'utf8')) as Record<string, unknown>;
      const published = Object.fromEntries(Object.entries(res).filter(([k]) => k.endsWith('_mean')).map(([k, v]) => [k.slice(0, -'_mean'.length), v]));
      expect(resultsMeans(store, runId, 'as-5').means).toEqual(published);
      expect(store.generations.forRun(runId)).toHaveLength(res.total as number);
    } finally {
      store.close();
    }
  });
});

describe('N/A kinds in a just-eval file (none of the shipped files has one: made from 1.score_multi.gpt-4.json)', () => {
  const source = join(JUST_EVAL, 'eval_outputs_examples/1.score_multi.gpt-4.json');
  const records = JSON.parse(readFileSync(source, 'utf8')) as JustEvalJudgeRecord[];
  // Record 0: the judge said "N/A" on depth. Record 1: never answered. Record 2: a reply just-eval could not parse.
  // As evaluate.py writes them: parsed_result = better_json_loads(result), None when it fails; no parsed_result
  // while result is still the "N/A" placeholder.
  records[0]!.parsed_result!.depth!.score = 'N/A';
  records[0]!.result = JSON.stringify(records[0]!.parsed_result, null, 4);
  records[1] = { ...records[1]!, result: 'N/A' };
  delete records[1].parsed_result;
  records[2] = { ...records[2]!, result: 'I cannot rate this.', parsed_result: null };
  const path = join(dir, 'with-na.score_multi.json');
  writeFileSync(path, JSON.stringify(records, null, 2));
  const store = freshStore();
  afterAll(() => store.close());
  const { runId } = importJustEvalJudgeFile(store, readJustEvalJudgeFile(path), { path, sha256: sha(path) });

  it('stores why each score is missing', () => {
    const calls = store.judgements.callsOfRun(runId);
    expect(calls[0]!.scores.find((s) => s.aspect === 'depth')).toMatchObject({ score: null, naKind: 'judge' });
    expect(calls[1]!.scores.every((s) => s.naKind === 'no-reply')).toBe(true);
    expect(calls[2]!.scores.every((s) => s.naKind === 'unreadable')).toBe(true);
    expect(calls[2]!.raw).toBe('I cannot rate this.');
  });

  it('"as-5" substitutes only the judge\'s own N/A, as report(); "exclude" leaves it out; both count the other kinds', () => {
    for (const policy of ['as-5', 'exclude'] as const) {
      const { means, cells } = resultsMeans(store, runId, policy);
      expect(means).toEqual(reportMeans(records, policy));
      expect(cells.depth).toMatchObject({ n: policy === 'as-5' ? 4 : 3, substituted: policy === 'as-5' ? 1 : 0, naKinds: { judge: 1, unreadable: 1, 'no-reply': 1 } });
      expect(cells.clarity).toMatchObject({ n: 4, na: 2, substituted: 0, naKinds: { judge: 0, unreadable: 1, 'no-reply': 1 } });
    }
  });

  it('exports each kind back as just-eval wrote it: "N/A" result without parsed_result, the unparsed reply', () => {
    const out = JSON.parse(writeJustEvalJudgeFile(store.judgements.callsOfRun(runId).map((c) => toJustEvalRecord({ ...c, user: c.prompt.user })))) as JustEvalJudgeRecord[];
    expect(out).toEqual(records);
  });
});

describe('readJustEvalJudgeFile refuses what it cannot import, with file:line', () => {
  const write = (name: string, value: unknown) => {
    const p = join(dir, name);
    writeFileSync(p, JSON.stringify(value, null, 2));
    return p;
  };
  const good = (JSON.parse(readFileSync(join(JUST_EVAL, 'eval_outputs_examples/1.score_multi.gpt-4.json'), 'utf8')) as JustEvalJudgeRecord[]).slice(0, 3);

  it('a record without its output, a second judge model, a pairwise file, a repeated id', () => {
    const { output_cand: _drop, ...noOutput } = good[1]!;
    expect(() => readJustEvalJudgeFile(write('a.json', [good[0], noOutput]))).toThrow(/^a\.json:\d+: record 2: "output_cand" must be a string/);
    expect(() => readJustEvalJudgeFile(write('b.json', [good[0], { ...good[1], eval_config: { ...good[1]!.eval_config, gpt: 'other' } }]))).toThrow(/b\.json:\d+: eval_config .* differs .*one judge model and mode per import/);
    expect(() => readJustEvalJudgeFile(write('c.json', [{ ...good[0], eval_config: { mode: 'pairwise', gpt: 'x' } }]))).toThrow(/c\.json:2: record 1: eval_config must have mode/);
    expect(() => readJustEvalJudgeFile(write('d.json', [good[0], good[0]]))).toThrow(/d\.json:\d+: id 0 appears twice/);
    expect(() => readJustEvalJudgeFile(write('e.json', { not: 'a list' }))).toThrow(/e\.json: not a non-empty JSON list/);
  });
});

describe('judgements export --format jsonl', () => {
  it('writes one line per call with the exact prompt, the raw reply and why each missing score is missing', () => {
    const path = join(JUST_EVAL, 'eval_outputs_examples/1.safety.score_safety.chatgpt.json');
    const records = JSON.parse(readFileSync(path, 'utf8')) as JustEvalJudgeRecord[];
    const store = freshStore();
    try {
      const { runId } = importJustEvalJudgeFile(store, readJustEvalJudgeFile(path), { path, sha256: sha(path) });
      const lines = judgeCallJsonl(store.judgements.callsOfRun(runId)).split('\n');
      expect(lines.pop()).toBe('');
      const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(parsed.map((p) => [p.item_id, p.prompt, p.raw, p.judge, p.rubric_version])).toEqual(
        records.map((r) => [String(r.id), r.prompt, r.result, 'import:gpt-3.5-turbo-0613', 'just-eval-original-safety@1']),
      );
      expect(parsed[0]!.scores).toEqual([{ aspect: 'safety', score: Number(records[0]!.parsed_result!.safety!.score), reason: records[0]!.parsed_result!.safety!.reason, na_kind: null }]);
    } finally {
      store.close();
    }
  });
});

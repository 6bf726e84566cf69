import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { JUST_EVAL_EN, SHARED, STORIES_CHATML } from '../support/paths';

const JUST_EVAL = join(SHARED, 'data', 'just_eval');
const EXAMPLES = join(JUST_EVAL, 'eval_outputs_examples');
const LEADERBOARD = join(JUST_EVAL, 'leaderboard_dev');
/** Every just-eval judge file of the reference data: its examples and the leaderboard's safety files. */
const JUDGE_FILES = [
  ...readdirSync(EXAMPLES).filter((f) => /(^|\.)score_(multi|safety)\..*json$/.test(f) && !f.endsWith('.eval_res.json')).map((f) => join(EXAMPLES, f)),
  ...readdirSync(LEADERBOARD).filter((f) => f.includes('.score_safety.')).map((f) => join(LEADERBOARD, f)),
];

type Parsed = Record<string, { score: string }> | null;
interface JudgeRecord {
  id: number | string;
  output_cand: string;
  parsed_result?: Parsed;
}

/**
 * just-eval's report() (judge_templates/evaluate.py.txt), per aspect: records without parsed_result are left out,
 * a literal "N/A" score counts as 5.0 (as-5) or, for our "exclude" policy, is left out too.
 */
function report(records: readonly JudgeRecord[], na: 'as-5' | 'exclude'): Map<string, { n: number; mean: number }> {
  const scores = new Map<string, number[]>();
  for (const r of records) {
    if (!r.parsed_result) continue;
    for (const [aspect, { score }] of Object.entries(r.parsed_result)) {
      if (score === 'N/A' && na === 'exclude') continue;
      scores.set(aspect, [...(scores.get(aspect) ?? []), score === 'N/A' ? 5 : Number(score)]);
    }
  }
  return new Map([...scores].map(([aspect, s]) => [aspect, { n: s.length, mean: s.reduce((a, b) => a + b, 0) / s.length }]));
}

/** `align results --format csv` rows: aspect → n and mean (as printed, 4 decimals). */
function resultsOf(g: string[], runId: string, na: 'as-5' | 'exclude'): Map<string, { n: number; mean: string; na: number; substituted: number }> {
  const r = cli([...g, 'results', '--runs', runId, '--format', 'csv', '--na', na]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
  return new Map(rows.map((row) => [row.aspect!, { n: Number(row.n), mean: row.mean!, na: Number(row.na), substituted: Number(row.substituted) }]));
}

/** The lines of a JSONL export, through --out (they exceed what a pipe buffer of spawnSync holds). */
function exported(g: string[], args: string[]): string[] {
  const out = join(g[1]!, `export-${args.join('-')}.jsonl`);
  expect(cli([...g, ...args, '--out', out]).code).toBe(0);
  return readFileSync(out, 'utf8').trim().split('\n');
}

function expectReportMeans(g: string[], runId: string, records: readonly JudgeRecord[]): void {
  for (const na of ['as-5', 'exclude'] as const) {
    const expected = report(records, na);
    const table = resultsOf(g, runId, na);
    expect([...table.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [aspect, { n, mean }] of expected) expect({ aspect, na, n: table.get(aspect)!.n, mean: table.get(aspect)!.mean }).toEqual({ aspect, na, n, mean: mean.toFixed(4) });
  }
}

/**
 * The just-eval interop of the CLI contract (issue 12): judge files in (a new run, or onto a run's outputs) and
 * out byte for byte, Results equal to just-eval's own report() on every reference file, and to_eval.json out.
 */
describe('just-eval files through the CLI', { timeout: 600_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-just-eval-cli-'));
  const g = ['--data-dir', dir];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds every reference judge file (6 examples, 2 leaderboard)', () => {
    expect(JUDGE_FILES.map((f) => f.split('/').pop())).toHaveLength(8);
  });

  it.each(JUDGE_FILES)('%s: import → results equals report() (as-5 and exclude) → export is byte-equal', (path) => {
    const imported = cli([...g, 'judgements', 'import', path]);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    const runId = imported.lastLine;
    expect(runId).toMatch(/^\d+$/);
    const records = JSON.parse(readFileSync(path, 'utf8')) as JudgeRecord[];
    expectReportMeans(g, runId, records);
    // Where just-eval kept its own report, the computed one is it.
    const evalRes = path.replace(/\.json$/, '.eval_res.json');
    if (existsSync(evalRes)) {
      const res = JSON.parse(readFileSync(evalRes, 'utf8')) as Record<string, number>;
      for (const [aspect, { n, mean }] of report(records, 'as-5')) expect([n, mean]).toEqual([res.total, res[`${aspect}_mean`]]);
    }
    const out = join(dir, `${runId}.json`);
    expect(cli([...g, 'judgements', 'export', '--run', runId, '--format', 'just-eval', '--out', out]).code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(path, 'utf8'));
  });

  it('counts only the judge\'s own "N/A" as 5; a call without parsed_result is left out and counted', () => {
    const records = JSON.parse(readFileSync(join(EXAMPLES, '1.score_multi.gpt-4.json'), 'utf8')) as (JudgeRecord & { result: string })[];
    records[0]!.parsed_result!.depth!.score = 'N/A';
    records[1]!.parsed_result!.helpfulness!.score = 'N/A';
    delete records[2]!.parsed_result;
    records[2]!.result = 'N/A';
    const path = join(dir, 'with-na.score_multi.json');
    writeFileSync(path, JSON.stringify(records, null, 2));
    const runId = cli([...g, 'judgements', 'import', path]).lastLine;
    expectReportMeans(g, runId, records);
    // depth: one judge N/A (substituted with as-5, left out otherwise) and the call without a reply (always out).
    expect(resultsOf(g, runId, 'exclude').get('depth')).toMatchObject({ n: 4, na: 2, substituted: 0 });
    expect(resultsOf(g, runId, 'as-5').get('depth')).toMatchObject({ n: 5, na: 2, substituted: 1 });
  });

  it('leaderboard: to_eval.json imported with --dataset, safety verdicts attached with --run, both exported as they came', () => {
    const datasetId = cli([...g, 'datasets', 'import', JUST_EVAL_EN, '--lang', 'en', '--name', 'just-eval-en']).lastLine;
    expect(datasetId).toMatch(/^\d+$/);
    for (const model of ['Yi-6B-Chat', 'tulu-2-dpo-7b']) {
      const toEval = join(LEADERBOARD, `${model}.to_eval.json`);
      const imported = cli([...g, 'generations', 'import', toEval, '--lang', 'en', '--dataset', 'just-eval-en']);
      expect(imported.code).toBe(0);
      const runId = imported.lastLine;
      const out = join(dir, `${model}.to_eval.json`);
      expect(cli([...g, 'generations', 'export', '--run', runId, '--format', 'just-eval', '--out', out]).code).toBe(0);
      expect(readFileSync(out, 'utf8')).toBe(readFileSync(toEval, 'utf8'));
      // The items are the dataset's: category known, so Results can split regular and safety.
      const rows = exported(g, ['generations', 'export', '--run', runId, '--format', 'jsonl']).map((l) => JSON.parse(l) as { category: string; task_types: string[] | null });
      expect(rows.filter((r) => r.category === 'safety')).toHaveLength(200);
      // Just-Eval's regular items have task types (its safety items have none).
      expect(rows.filter((r) => r.category === 'regular' && r.task_types !== null && r.task_types.length > 0)).toHaveLength(800);

      const judgeFile = join(LEADERBOARD, `${model}.score_safety.chatgpt.json`);
      const attached = cli([...g, 'judgements', 'import', judgeFile, '--run', runId]);
      expect(attached.code).toBe(0);
      expect(attached.lastLine).toBe(runId);
      expectReportMeans(g, runId, JSON.parse(readFileSync(judgeFile, 'utf8')) as JudgeRecord[]);
      const judged = join(dir, `${model}.score_safety.json`);
      expect(cli([...g, 'judgements', 'export', '--run', runId, '--format', 'just-eval', '--out', judged]).code).toBe(0);
      expect(readFileSync(judged, 'utf8')).toBe(readFileSync(judgeFile, 'utf8'));
      // jsonl: one line per call, with the exact prompt and the raw reply.
      const jsonl = exported(g, ['judgements', 'export', '--run', runId, '--format', 'jsonl']).map((l) => JSON.parse(l) as Record<string, unknown>);
      const original = JSON.parse(readFileSync(judgeFile, 'utf8')) as { prompt: string; result: string }[];
      expect(jsonl.map((c) => [c.prompt, c.raw])).toEqual(original.map((o) => [o.prompt, o.result]));
    }
  });

  it('refuses a different output text on --run, an unknown dataset id and a different instruction, naming the item', () => {
    const judgeFile = join(EXAMPLES, '1.score_multi.gpt-4.json');
    const records = JSON.parse(readFileSync(judgeFile, 'utf8')) as { id: number; instruction?: string; input: string; output_cand: string; generator_cand: string }[];
    const outputs = records.map((r) => ({ id: r.id, instruction: r.input, output: r.output_cand, generator: r.generator_cand }));
    const changed = join(dir, 'changed.json');
    writeFileSync(changed, JSON.stringify([{ ...outputs[0], output: `${outputs[0]!.output} (edited)` }, ...outputs.slice(1)]));
    const runId = cli([...g, 'generations', 'import', changed, '--lang', 'en']).lastLine;
    const refused = cli([...g, 'judgements', 'import', judgeFile, '--run', runId]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`item ${records[0]!.id}: the file's output_cand differs from run ${runId}'s output`);

    const unknown = join(dir, 'unknown-id.json');
    writeFileSync(unknown, JSON.stringify([{ ...outputs[0], id: 99_999 }]));
    const noItem = cli([...g, 'generations', 'import', unknown, '--lang', 'en', '--dataset', 'just-eval-en']);
    expect(noItem.code).toBe(1);
    expect(noItem.stderr).toContain('unknown-id.json: item "99999" is not in dataset "just-eval-en"');

    const other = join(dir, 'other-instruction.json');
    const first = (JSON.parse(readFileSync(join(LEADERBOARD, 'Yi-6B-Chat.to_eval.json'), 'utf8')) as Record<string, unknown>[])[0]!;
    writeFileSync(other, JSON.stringify([{ ...first, instruction: 'Traduis ceci en français.' }]));
    const otherInstruction = cli([...g, 'generations', 'import', other, '--lang', 'en', '--dataset', 'just-eval-en']);
    expect(otherInstruction.code).toBe(1);
    expect(otherInstruction.stderr).toContain(`other-instruction.json: item "${String(first.id)}": the instruction differs from dataset "just-eval-en"'s`);

    const wrongLang = cli([...g, 'generations', 'import', join(LEADERBOARD, 'Yi-6B-Chat.to_eval.json'), '--lang', 'fr', '--dataset', 'just-eval-en']);
    expect(wrongLang.code).toBe(1);
    expect(wrongLang.stderr).toContain('Dataset "just-eval-en" is in en, not fr');
  });

  it('just-eval export of a run without original-judge calls says to use jsonl', () => {
    const runId = cli([...g, 'generations', 'import', join(LEADERBOARD, 'Yi-6B-Chat.to_eval.json'), '--lang', 'en', '--name', 'unjudged']).lastLine;
    const r = cli([...g, 'judgements', 'export', '--run', runId, '--format', 'just-eval']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('has no calls of the original Just-Eval judge');
    expect(r.stderr).toContain('--format jsonl');
  });

  it('judge --rubric just-eval-original: just-eval\'s prompts (multi for regular, safety for safety items), its system message, temperature 0', () => {
    const runs = ['1.score_multi.gpt-4.json', '1.safety.score_safety.chatgpt.json'].map((f) => cli([...g, 'judgements', 'import', join(EXAMPLES, f), '--name', `original-${f}`]).lastLine);
    const judgeId = cli([...g, 'judges', 'add', '--gguf', STORIES_CHATML]).lastLine;
    const judged = cli([...g, 'judge', '--run', runs.join(','), '--judge', judgeId, '--rubric', 'just-eval-original']);
    expect(judged.code, judged.stderr).toBe(0);
    expect(judged.stdout).toMatch(/done: 10\/10 calls/);
    const identity = /gguf:[0-9a-f]{64}/.exec(cli([...g, 'judges', 'list']).stdout)![0];
    for (const [i, runId] of runs.entries()) {
      const file = join(EXAMPLES, i === 0 ? '1.score_multi.gpt-4.json' : '1.safety.score_safety.chatgpt.json');
      const original = JSON.parse(readFileSync(file, 'utf8')) as { id: number; prompt: string }[];
      const calls = exported(g, ['judgements', 'export', '--run', runId, '--format', 'jsonl', '--judge', identity]).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(calls.map((c) => [c.item_id, c.prompt])).toEqual(original.map((o) => [String(o.id), o.prompt]));
      for (const c of calls) {
        expect(c).toMatchObject({ rubric_version: i === 0 ? 'just-eval-original-multi@1' : 'just-eval-original-safety@1', temperature: 0, system: 'You are an AI assistant that helps people find information.' });
      }
      // The same calls in just-eval's own format, as its report() reads them.
      const asJustEval = exported(g, ['judgements', 'export', '--run', runId, '--format', 'just-eval', '--judge', identity]).join('\n');
      const records = JSON.parse(asJustEval) as { eval_config: { mode: string; gpt: string } }[];
      expect(records).toHaveLength(original.length);
      expect(records[0]!.eval_config).toEqual({ mode: i === 0 ? 'score_multi' : 'score_safety', gpt: identity, max_words: -1 });
    }
    const run = /judge run (\d+)/.exec(judged.stderr)![1]!;
    expect(judged.lastLine).toBe(run);
  });
});

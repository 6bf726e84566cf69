import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../src/shared/api';
import { createApi, type Api } from '../../src/main/api/createApi';
import { createServices, type Services } from '../../src/main/services/createServices';
import { cli } from '../support/cli';
import { REPO, STORIES_CHATML, URIAL_DIR } from '../support/paths';
import { insertVerdict, SEEDED_JUDGE, seedResultsStore, type SeededStore } from '../support/seedResults';
import { openStore } from '../../src/main/store/openStore';

/** The expected LaTeX of the seeded store, grouped by language and method, N/A excluded (also F's e2e fixture). */
const EXPECTED_TEX = join(REPO, 'tests', 'fixtures', 'results', 'expected.tex');

// `results` and `export-dpo` are part of the stable CLI contract (README): these tests pin them, on a store of real
// stories260K generations with seeded verdicts (tests/support/seedResults.ts) and, last, a real judge run.
describe('results and export-dpo CLI, reproducibility and re-run', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-results-cli-'));
  const g = ['--data-dir', dir];
  let seeded: SeededStore;
  let runs: string;
  beforeAll(async () => {
    seeded = await seedResultsStore(dir);
    runs = seeded.runIds.join(',');
  }, 300_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('results --format latex prints the expected table, byte for byte (seeded bootstrap)', () => {
    const r = cli([...g, 'results', '--runs', runs, '--format', 'latex', '--group-by', 'language,method']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(readFileSync(EXPECTED_TEX, 'utf8'));
  });

  it('results --format md|csv, --na as-5 and --out', () => {
    const md = cli([...g, 'results', '--runs', runs, '--format', 'md', '--group-by', 'language']);
    expect(md.code).toBe(0);
    expect(md.stdout.split('\n')[0]).toBe('| Language | n | Helpfulness | Clarity | Factuality | Depth | Engagement | Safety |');
    expect(md.stdout).toContain('N/A excluded');
    const as5 = cli([...g, 'results', '--runs', runs, '--format', 'md', '--group-by', 'language', '--na', 'as-5']);
    expect(as5.stdout).toContain('N/A counted as 5');
    expect(as5.stdout).not.toBe(md.stdout);

    const out = join(dir, 'table.csv');
    const csv = cli([...g, 'results', '--runs', runs, '--format', 'csv', '--out', out]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe('');
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    // default grouping language, method, model: 3 × 2 × 1 groups; regular items have 5 aspects, safety ones 1
    expect(rows).toHaveLength(3 * 2 * 6);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(['stories260K']));
    // Spanish zero-shot: item 9 is N/A on both repeats (seedResults), so one generation fewer is scored
    const esZero = rows.find((r) => r.language === 'es' && r.method === 'zero-shot' && r.aspect === 'helpfulness')!;
    expect([esZero.n, esZero.na, esZero.judges]).toEqual(['23', '1', SEEDED_JUDGE]);
  });

  it('results: usage errors exit 2 and say what is wrong', () => {
    const noFormat = cli([...g, 'results', '--runs', runs]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toMatch(/--format/);
    const badKey = cli([...g, 'results', '--runs', runs, '--format', 'csv', '--group-by', 'language,colour']);
    expect(badKey.code).toBe(2);
    expect(badKey.stderr).toMatch(/unknown key "colour"/);
    const noRun = cli([...g, 'results', '--runs', '999', '--format', 'csv']);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/No run with id 999/);
    expect(cli([...g, 'results', '--runs', runs, '--format', 'csv', '--na', 'as-3']).code).toBe(2);
  });

  it('export-dpo writes TRL DPO pairs that round-trip: prompt/chosen/rejected on every line, chosen ≠ rejected', () => {
    const out = join(dir, 'pairs.jsonl');
    const r = cli([...g, 'export-dpo', '--runs', runs, '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\n');
    expect(Number(r.lastLine)).toBe(lines.length);
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) {
      const pair = JSON.parse(line) as { prompt: unknown; chosen: unknown; rejected: unknown; metadata: { lang: string; chosen: { run_id: number; score: number }; rejected: { score: number | null; reason: string } } };
      expect(typeof pair.prompt).toBe('string');
      expect(typeof pair.chosen).toBe('string');
      expect(typeof pair.rejected).toBe('string');
      expect((pair.chosen as string).trim()).not.toBe((pair.rejected as string).trim());
      // custom (seeded a point higher) is chosen unless it has a critical error
      expect(pair.metadata.rejected.reason).toMatch(/^(critical error: |lowest mean aspect score)/);
    }
    expect(cli([...g, 'export-dpo', '--runs', runs]).code).toBe(2); // --out is required
  });

  it('results never averages two judge languages: they become rows, and --judge-lang / --rubric / --judge pick one', () => {
    // The English custom run judged a second time with a French prompt (all 5), then removed again for the tests below.
    const store = openStore(join(dir, 'workbench.sqlite'));
    const runId = seeded.runs['en/custom']!;
    try {
      for (const gen of store.generations.forRun(runId)) insertVerdict(store, gen.id, { judgeLang: 'fr', scores: { helpfulness: 5 } });
      const table = (...extra: string[]) => {
        const r = cli([...g, 'results', '--runs', String(runId), '--format', 'csv', '--group-by', 'language', ...extra]);
        expect(r.stderr).toBe('');
        expect(r.code).toBe(0);
        return (parse(r.stdout, { columns: true }) as Record<string, string>[]).filter((row) => row.aspect === 'helpfulness');
      };
      const both = table();
      expect(both.map((row) => [row.language, row.judgeLang, row.mean])).toEqual([
        ['en', 'en', both[0]!.mean],
        ['en', 'fr', '5.0000'],
      ]);
      expect(Number(both[0]!.mean)).toBeLessThan(5);
      const fr = table('--judge-lang', 'fr');
      expect(fr.map((row) => [row.language, row.judgeLang, row.mean])).toEqual([['en', undefined, '5.0000']]);
      const en = table('--judge-lang', 'en', '--rubric', 'just-eval-aspects@1', '--judge', SEEDED_JUDGE);
      expect(en.map((row) => [row.language, row.mean])).toEqual([['en', both[0]!.mean]]);
      expect(table('--judge', 'nobody')).toEqual([]);
      const bad = cli([...g, 'results', '--runs', String(runId), '--format', 'csv', '--judge-lang', 'French!']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toMatch(/judgeLang|judge-lang/);
    } finally {
      store.db.prepare(`DELETE FROM judge_calls WHERE judge_lang = 'fr'`).run();
      store.close();
    }
  });

  describe('over the API', () => {
    let workbench: Services;
    let api: Api;
    async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
      const r = await api.handle(method, params);
      if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
      return r.result as ApiResponse<M>;
    }
    beforeAll(() => {
      workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
      api = createApi(workbench, { transport: 'http' });
    });
    afterAll(async () => {
      await api.shutdown();
      await workbench.close();
    });

    it('results.table gives the same LaTeX as the CLI; aspects, compare and critical errors answer with the filters', async () => {
      const table = await call('results.table', { filter: { naPolicy: 'exclude' }, groupBy: ['language', 'method'], format: 'latex' });
      expect(table).toEqual({ text: readFileSync(EXPECTED_TEX, 'utf8'), filename: 'results-language-method.tex' });
      const fr = await call('results.aspects', { filter: { naPolicy: 'exclude', langs: ['fr'], category: 'regular' }, groupBy: ['method'] });
      expect(fr.map((c) => c.aspect)).toEqual(['helpfulness', 'clarity', 'factuality', 'depth', 'engagement', 'helpfulness', 'clarity', 'factuality', 'depth', 'engagement']);
      const compare = await call('results.compare', { filter: { naPolicy: 'exclude' }, dimension: 'method', a: 'custom', b: 'zero-shot', within: ['language'] });
      expect(compare).toHaveLength(3 * 6);
      for (const row of compare.filter((c) => c.aspect !== 'safety')) expect(row.delta).toBeGreaterThan(0.5);
      const rates = await call('results.criticalErrors', { filter: { naPolicy: 'exclude', langs: ['en'] }, source: 'detector' });
      expect(new Set(rates.map((r) => r.lang))).toEqual(new Set(['en']));
      expect(rates.find((r) => r.label === 'truncated' && r.method === 'zero-shot')!.n).toBe(30);
      const bad = await api.handle('results.aspects', { filter: { naPolicy: 'as-6' }, groupBy: ['language'] });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    });

    it('runs.reproducibility records model, prompt, template, sampler, versions and judges', async () => {
      const record = (await call('runs.reproducibility', { runId: seeded.runs['en/custom']! })) as Record<string, any>;
      expect(record.model.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(record.model.quantization).toBeDefined();
      expect(record.model.ggufMetadata).toBeTypeOf('object');
      expect(record.method.config).toMatchObject({ method: 'custom', template: 'Question: {instruction}\nAnswer:' });
      expect(record.sampler).toMatchObject({ maxTokens: 16, temperature: 0 });
      expect(record.seed).toBe(record.sampler.seed);
      expect(record.environment['node-llama-cpp']).toBe('3.21.1');
      expect(record.environment['llama.cpp']).toBeTruthy();
      expect(record.app.version).toBe(workbench.version);
      expect(record.dataset.itemIds).toHaveLength(30);
      expect(record.judgements).toEqual([
        expect.objectContaining({ judge: SEEDED_JUDGE, rubricVersion: 'just-eval-aspects@1', judgeLang: 'en', calls: 48, repeats: 2 }),
        expect.objectContaining({ judge: SEEDED_JUDGE, rubricVersion: 'just-eval-safety@1', calls: 12, repeats: 2 }),
      ]);
      expect(await api.handle('runs.reproducibility', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });

    it('runs.rerun creates an identical run (same config and frozen items) whose greedy outputs match the original', async () => {
      const original = seeded.runs['fr/zero-shot']!;
      const created = await call('runs.rerun', { runId: original });
      const before = await call('runs.get', { runId: original });
      expect(created.id).not.toBe(original);
      expect(created.config).toEqual(before.config);
      expect(created.status).toBe('pending');
      expect(created.total).toBe(before.total);
      expect(workbench.store.runs.itemIds(created.id)).toEqual(workbench.store.runs.itemIds(original));
      expect(await workbench.runs.execute(created.id)).toBe('done');
      const outputs = (runId: number) => workbench.store.generations.forRun(runId).map((x) => [x.itemId, x.output]);
      expect(outputs(created.id)).toEqual(outputs(original));
      expect(await api.handle('runs.rerun', { runId: 999 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    });
  });

  it('results over judgements of a real judge run (stories260K-chatml, grammar-constrained)', () => {
    const judge = cli([...g, 'judges', 'add', '--gguf', STORIES_CHATML]);
    expect(judge.code).toBe(0);
    const run = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'sample-en', '--limit', '3', '--max-tokens', '8']);
    expect(run.code).toBe(0);
    expect(cli([...g, 'runs', 'start', run.lastLine]).code).toBe(0);
    const judged = cli([...g, 'judge', '--run', run.lastLine, '--judge', judge.lastLine, '--max-tokens', '200']);
    expect(judged.code).toBe(0);
    const r = cli([...g, 'results', '--runs', run.lastLine, '--format', 'csv', '--group-by', 'method']);
    expect(r.code).toBe(0);
    const rows = parse(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => x.aspect)).toEqual(['helpfulness', 'clarity', 'factuality', 'depth', 'engagement']);
    for (const row of rows) {
      // three judged generations, each scored or N/A (grammar-constrained JSON: normally all scored)
      expect(Number(row.n) + Number(row.na)).toBe(3);
      expect(row.judges).toMatch(/^stories260K-chatml \(gguf:[0-9a-f]{64}\)$/);
      if (row.mean !== '') expect(Number(row.mean)).toBeGreaterThanOrEqual(1);
    }
  });
});

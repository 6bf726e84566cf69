import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunRateRow } from '../../src/shared/rates';
import { cli } from '../support/cli';
import { REPO } from '../support/paths';

// `align rates` is part of the CLI contract (README): field names, CSV columns, the row count on the last line with
// --out, and the exit codes. On real imported outputs (a loop, leaked code, a clean answer, a French answer to an
// English request) checked by the real detectors, including the language detector's LCB verdicts.
describe('rates CLI', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-rates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = ['--data-dir', dir];
  let runId: string;
  beforeAll(() => {
    const imported = cli([...g, 'generations', 'import', join(REPO, 'tests/fixtures/generations/critical.jsonl'), '--lang', 'en']);
    expect(imported.code, imported.stderr).toBe(0);
    runId = imported.lastLine;
    expect(cli([...g, 'detect', '--run', runId]).code).toBe(0);
  });

  it('--format json: one row per run × language with LPR and per-label rates with Wilson intervals', () => {
    const r = cli([...g, 'rates', '--runs', runId, '--format', 'json']);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as RunRateRow[];
    expect(rows).toHaveLength(1);
    const [row] = rows as [RunRateRow];
    expect(Object.keys(row)).toEqual(['run_id', 'lang', 'n', 'lpr', 'lpr_checked', 'lpr_acc', 'lpr_ci_low', 'lpr_ci_high', 'lpr_missing', 'labels']);
    expect([row.run_id, row.lang, row.n, row.lpr_missing]).toEqual([Number(runId), 'en', 4, 0]);
    // The French answer has checked lines in another language: the strict LCB fails it.
    expect(row.lpr_checked).toBeGreaterThanOrEqual(2);
    expect(row.lpr!).toBeLessThan(1);
    expect(row.lpr_ci_low!).toBeLessThanOrEqual(row.lpr!);
    expect(row.lpr_ci_high!).toBeGreaterThanOrEqual(row.lpr!);
    for (const label of ['infinite-loop', 'code-leak', 'wrong-language']) expect(row.labels[label]!.count, label).toBe(1);
    // Any critical error: 3 of 4; Wilson 95% by hand: (0.75 + z²/8 ± z·√(0.75·0.25/4 + z²/64)) / (1 + z²/4).
    const any = row.labels['any critical error']!;
    expect([any.count, any.rate]).toEqual([3, 0.75]);
    expect(any.ci_low).toBeCloseTo(0.3006, 3);
    expect(any.ci_high).toBeCloseTo(0.9544, 3);
    expect(Object.keys(row.labels).at(-1)).toBe('any critical error');
  });

  it('--format csv --out: <label>_count|rate|ci_low|ci_high columns, the row count last', () => {
    const out = join(dir, 'rates.csv');
    const r = cli([...g, 'rates', '--runs', runId, '--format', 'csv', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lastLine).toBe('1');
    const [row] = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(row).toMatchObject({ run_id: runId, lang: 'en', n: '4', code_leak_count: '1', any_count: '3', any_rate: '0.75', lpr_missing: '0' });
    for (const k of ['lpr', 'lpr_checked', 'lpr_acc', 'lpr_ci_low', 'lpr_ci_high', 'infinite_loop_rate', 'wrong_language_ci_low', 'wrong_language_ci_high']) expect(row, k).toHaveProperty(k);
  });

  it('--source human: no annotations yet, so no labels, but the same n and LPR', () => {
    const rows = JSON.parse(cli([...g, 'rates', '--runs', runId, '--format', 'json', '--source', 'human']).stdout) as RunRateRow[];
    const detector = JSON.parse(cli([...g, 'rates', '--runs', runId, '--format', 'json']).stdout) as RunRateRow[];
    expect(rows[0]!.labels['any critical error']!.count).toBe(0);
    expect([rows[0]!.n, rows[0]!.lpr]).toEqual([detector[0]!.n, detector[0]!.lpr]);
  });

  it('usage errors exit 2 and say what is wrong', () => {
    const noFormat = cli([...g, 'rates', '--runs', runId]);
    expect(noFormat.code).toBe(2);
    expect(noFormat.stderr).toMatch(/--format/);
    const badFormat = cli([...g, 'rates', '--runs', runId, '--format', 'md']);
    expect(badFormat.code).toBe(2);
    const noRun = cli([...g, 'rates', '--runs', '999', '--format', 'json']);
    expect(noRun.code).toBe(2);
    expect(noRun.stderr).toMatch(/No run with id 999/);
  });
});

/**
 * P4D (P4, detectors): how well do the critical-error detectors agree with a human? Runs `runDetectors` (default settings) on the
 * hand-labelled generations of bench/data/p4-labelled.jsonl and prints precision / recall / F1 (and Cohen's kappa)
 * per label, overall and per language, with the human labels as the truth. A measurement, not a gate: the
 * verdict only fails when the data file is malformed or a detector crashes. No model needed.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CRITICAL_LABELS, type DetectorInput } from '../src/shared/detection';
import { FINISH_REASONS, type FinishReason } from '../src/shared/domain';
import { runDetectors } from '../src/main/core/detectors';
import { detectorAgreement, precisionRecallF1, type AgreementRow, type LabelAgreement } from '../src/main/core/analysis';
import { f, REPO_ROOT, say, type BenchOptions, type BenchResult } from './common';

export const P4_DATA = join(REPO_ROOT, 'bench', 'data', 'p4-labelled.jsonl');

export interface LabelledGeneration {
  id: string;
  lang: string;
  instruction: string;
  task_types: string[] | null;
  output_raw: string;
  finish_reason: FinishReason;
  max_tokens: number | null;
  labels: string[];
}

/** Reads and checks the labelled file; every problem is reported with its line number. */
export function readLabelled(path = P4_DATA): LabelledGeneration[] {
  const out: LabelledGeneration[] = [];
  const ids = new Set<string>();
  readFileSync(path, 'utf8').split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const at = `${path}:${i + 1}`;
    const g = JSON.parse(line) as LabelledGeneration;
    if (typeof g.id !== 'string' || ids.has(g.id)) throw new Error(`${at}: missing or duplicate id`);
    ids.add(g.id);
    if (typeof g.lang !== 'string' || typeof g.output_raw !== 'string' || typeof g.instruction !== 'string') throw new Error(`${at}: lang, instruction and output_raw must be strings`);
    if (!(FINISH_REASONS as readonly string[]).includes(g.finish_reason)) throw new Error(`${at}: unknown finish_reason "${g.finish_reason}"`);
    if (!Array.isArray(g.labels) || g.labels.some((l) => !(CRITICAL_LABELS as readonly string[]).includes(l))) throw new Error(`${at}: labels must come from ${CRITICAL_LABELS.join(', ')}`);
    out.push(g);
  });
  return out;
}

/** What the app would hand the detectors for this generation (URIAL cleaning: fences removed). */
export function toDetectorInput(g: LabelledGeneration): DetectorInput {
  const output = g.output_raw.replaceAll('```', '').trim();
  return {
    outputRaw: g.output_raw,
    output,
    finishReason: g.finish_reason,
    // Tokens ≈ words of the cleaned output (only the loop detector's evidence note uses it).
    outputTokens: output.split(/\s+/).filter(Boolean).length,
    maxTokens: g.max_tokens,
    expectedLang: g.lang,
    instruction: g.instruction,
    taskTypes: g.task_types,
  };
}

const pct = (x: number | null): string => (x === null ? '   -' : `${(x * 100).toFixed(0)}%`.padStart(4));
const k = (x: number | null): string => (x === null ? '    -' : f(x, 2).padStart(5));

function table(rows: LabelAgreement[]): string[] {
  const header = ['label', 'lang', 'n', 'pos', 'tp', 'fp', 'fn', 'prec', 'recall', 'F1', 'kappa'];
  const cells = rows.map((r) => [r.label, r.lang, String(r.n), String(r.tp + r.fn), String(r.tp), String(r.fp), String(r.fn), pct(r.precision), pct(r.recall), pct(r.f1), k(r.kappa)]);
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => row[c]!.length)));
  const line = (row: string[]) => row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)];
}

export async function runP4Detectors(_options?: BenchOptions): Promise<BenchResult> {
  const data = readLabelled();
  const rows: (AgreementRow & { id: string })[] = [];
  for (const g of data) {
    const results = await runDetectors(toDetectorInput(g));
    const detected = [...new Set(results.flatMap((r) => r.findings.map((x) => x.label)))];
    rows.push({ id: g.id, lang: g.lang, detected, human: g.labels });
  }
  const langs = [...new Set(data.map((g) => g.lang))].sort();
  say('P4D', `${data.length} hand-labelled generations (${langs.map((l) => `${l} ${data.filter((g) => g.lang === l).length}`).join(', ')}), ` +
    `detectors at default settings, human labels = truth`);

  const agreement = detectorAgreement(rows, CRITICAL_LABELS);
  say('P4D', 'per label (all languages):');
  for (const line of table(agreement.filter((r) => r.lang === 'all'))) say('P4D', `  ${line}`);
  say('P4D', 'per label × language:');
  for (const line of table(agreement.filter((r) => r.lang !== 'all' && r.tp + r.fp + r.fn > 0))) say('P4D', `  ${line}`);

  // Overall: micro-average over the detectable labels ('other' has no detector), and "any critical error" per item.
  const detectable = CRITICAL_LABELS.filter((l) => l !== 'other');
  const micro = precisionRecallF1(rows.flatMap((r) => detectable.map((l) => ({ predicted: r.detected.includes(l), actual: r.human.includes(l) }))));
  const any = precisionRecallF1(rows.map((r) => ({ predicted: r.detected.length > 0, actual: r.human.length > 0 })));
  const exact = rows.filter((r) => [...r.detected].sort().join() === [...r.human].sort().join()).length;
  say('P4D', `overall micro (${detectable.join(', ')}): precision ${pct(micro.precision)}, recall ${pct(micro.recall)}, F1 ${pct(micro.f1)} ` +
    `(tp ${micro.tp}, fp ${micro.fp}, fn ${micro.fn})`);
  say('P4D', `any critical error vs clean: precision ${pct(any.precision)}, recall ${pct(any.recall)}, F1 ${pct(any.f1)}; ` +
    `exact label set on ${exact}/${rows.length} generations`);
  const misses = rows.filter((r) => [...r.detected].sort().join() !== [...r.human].sort().join());
  if (misses.length) {
    say('P4D', 'disagreements (id: human → detected):');
    for (const r of misses) say('P4D', `  ${r.id}: [${r.human.join(', ')}] → [${r.detected.join(', ')}]`);
  }
  return {
    id: 'P4D',
    metric: 'detector micro-F1 vs human (measurement)',
    value: micro.f1 ?? Number.NaN,
    shown: pct(micro.f1).trim(),
    target: 'none (measured)',
    pass: true,
    context: `${data.length} gens; P ${pct(micro.precision).trim()} R ${pct(micro.recall).trim()}; exact ${exact}/${rows.length}`,
    problems: [],
  };
}

// Run directly: npx tsx bench/p4Detectors.ts
if (process.argv[1] && fileURLToPath(import.meta.url) === resolve(process.argv[1])) {
  await runP4Detectors();
}

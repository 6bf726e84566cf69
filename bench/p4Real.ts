/**
 * P4R (P4, real outputs; issue 13): the detectors on answers written by real models, read from ../shared.
 *   - leaderboard_dev (Yi-6B-Chat, tulu-2-dpo-7b × 1000 Just-Eval items, EN): flag rate per label; wrong-language
 *     and code-leak outside coding tasks must stay ≤ 1 % (these answers are English and rarely code); loop
 *     precision/recall against the hand labels of bench/data/leaderboard-gold.jsonl (≥ 0.9 each).
 *   - LPR against the Language Confusion Benchmark's own compute_metrics.py (python3-fasttext): |Δ| ≤ 0.005 per
 *     model × task × source × language, per-answer verdicts agree ≥ 99 %.
 *   - outputs_dev FR/ES: of the answers the benchmark's code finds mostly in another language (line acc < 0.5),
 *     the share our wrong-language flags (≥ 90 %).
 * No model needed. The gold file's loop labels were made with the detectors in view: a calibration figure.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { precisionRecallF1 } from '../src/main/core/analysis';
import { runDetectors } from '../src/main/core/detectors';
import { loadFastText } from '../src/main/core/detectors/fastTextLid';
import { lcbSummary } from '../src/main/core/analysis/lcbSummary';
import { lcbVerdict, type LcbVerdict } from '../src/main/core/detectors/lcb';
import { oracleFolder, oracleTable, oracleVerdicts } from '../tests/support/lcbOracle';
import { f, REPO_ROOT, say, SHARED_DIR, type BenchOptions, type BenchResult } from './common';
import { LEADERBOARD_MODELS, leaderboardAnswers, OUTPUTS_DEV_MODELS, outputsDevAnswers } from './realOutputs';

export const GOLD = join(REPO_ROOT, 'bench', 'data', 'leaderboard-gold.jsonl');

interface GoldRow {
  key: string;
  label: string;
  value: boolean;
  why: string;
}

export function readGold(path = GOLD): GoldRow[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .flatMap((line, i) => {
      if (!line.trim()) return [];
      const g = JSON.parse(line) as GoldRow;
      if (typeof g.key !== 'string' || typeof g.label !== 'string' || typeof g.value !== 'boolean') throw new Error(`${path}:${i + 1}: need key, label and a boolean value`);
      return [g];
    });
}

const pct = (x: number | null) => (x === null ? '—' : `${f(100 * x, 1)}%`);

export async function runP4Real(_options: BenchOptions): Promise<BenchResult> {
  const problems: string[] = [];
  const checks: { name: string; ok: boolean; shown: string }[] = [];

  // 1. leaderboard_dev
  const labelsOf = new Map<string, string[]>();
  let outsideCoding = 0;
  let codeOutsideCoding = 0;
  for (const model of LEADERBOARD_MODELS) {
    const answers = leaderboardAnswers(model);
    const counts = new Map<string, number>();
    for (const a of answers) {
      const labels = [...new Set((await runDetectors(a.input)).flatMap((r) => r.findings.map((x) => x.label)))];
      labelsOf.set(a.key, labels);
      for (const l of labels) counts.set(l, (counts.get(l) ?? 0) + 1);
      if (!a.input.taskTypes?.includes('coding')) {
        outsideCoding++;
        if (labels.includes('code-leak')) codeOutsideCoding++;
      }
    }
    say('P4R', `leaderboard_dev ${model} (${answers.length}): ${[...counts].sort().map(([l, n]) => `${l} ${n} (${pct(n / answers.length)})`).join(', ') || 'no findings'}`);
  }
  const all = labelsOf.size;
  const wrongLang = [...labelsOf.values()].filter((l) => l.includes('wrong-language')).length;
  checks.push({ name: 'wrong-language on EN leaderboard_dev ≤ 1%', ok: wrongLang / all <= 0.01, shown: `${wrongLang}/${all} = ${pct(wrongLang / all)}` });
  checks.push({
    name: 'code-leak outside coding tasks ≤ 1%',
    ok: codeOutsideCoding / outsideCoding <= 0.01,
    shown: `${codeOutsideCoding}/${outsideCoding} = ${pct(codeOutsideCoding / outsideCoding)}`,
  });

  const gold = readGold();
  for (const g of gold) if (!labelsOf.has(g.key)) problems.push(`${GOLD}: unknown key ${g.key}`);
  const goldLoops = new Set(gold.filter((g) => g.label === 'infinite-loop' && g.value).map((g) => g.key));
  // Answers not in the gold file are taken as not looping (the file lists every loop we found).
  const loop = precisionRecallF1([...labelsOf].map(([key, l]) => ({ predicted: l.includes('infinite-loop'), actual: goldLoops.has(key) })));
  checks.push({
    name: 'loop precision and recall ≥ 0.9 on the hand labels',
    ok: (loop.precision ?? 0) >= 0.9 && (loop.recall ?? 0) >= 0.9,
    shown: `P ${pct(loop.precision)} R ${pct(loop.recall)} (tp ${loop.tp}, fp ${loop.fp}, fn ${loop.fn}; ${goldLoops.size} gold loops)`,
  });
  for (const label of ['code-leak', 'wrong-language']) {
    const rows = gold.filter((g) => g.label === label);
    const agree = rows.filter((g) => labelsOf.get(g.key)?.includes(label) === g.value).length;
    say('P4R', `gold ${label}: detector agrees on ${agree}/${rows.length} hand-labelled answers`);
  }

  // 2. LPR vs the oracle
  const ft = await loadFastText();
  const dir = oracleFolder();
  let verdicts = 0;
  let agreeing = 0;
  let worst = 0;
  let recallPos = 0;
  let recallHit = 0;
  for (const model of OUTPUTS_DEV_MODELS) {
    const csv = join(SHARED_DIR, 'data', 'language_confusion', 'outputs_dev', `${model}.en-fr-es.csv`);
    const answers = outputsDevAnswers(model);
    const ours = answers.map((a) => lcbVerdict(ft, a.input.outputRaw, a.input.expectedLang));
    const theirs = oracleVerdicts(dir, csv);
    verdicts += theirs.length;
    agreeing += theirs.filter((t, i) => t.verdict === ours[i]?.verdict).length;
    const groups = new Map<string, LcbVerdict[]>();
    answers.forEach((a, i) => {
      const key = [a.task, a.source, a.input.expectedLang].join('\t');
      groups.set(key, [...(groups.get(key) ?? []), ours[i]!]);
    });
    const table = oracleTable(dir, csv);
    for (const [key, vs] of groups) {
      const [task, source, lang] = key.split('\t');
      const o = table.find((t) => t.task === task && t.source === source && t.lang === lang);
      if (!o) problems.push(`oracle has no row for ${model} ${key}`);
      else worst = Math.max(worst, Math.abs(lcbSummary(vs).lpr - o.lpr));
    }
    // 3. recall on outputs_dev FR/ES
    for (const [i, a] of answers.entries()) {
      const v = ours[i]!;
      if (a.input.expectedLang === 'en' || v.acc === null || v.acc >= 0.5) continue;
      recallPos++;
      if ((await runDetectors(a.input)).some((r) => r.findings.some((x) => x.label === 'wrong-language'))) recallHit++;
    }
  }
  checks.push({ name: 'LPR |Δ| vs compute_metrics.py ≤ 0.005', ok: worst <= 0.005, shown: `max |Δ| ${f(worst, 4)} over 28 model × task × source × language cells` });
  checks.push({ name: 'per-answer LCB verdicts agree ≥ 99%', ok: agreeing / verdicts >= 0.99, shown: `${agreeing}/${verdicts} = ${pct(agreeing / verdicts)}` });
  checks.push({ name: 'wrong-language recall on outputs_dev FR/ES mostly-other ≥ 90%', ok: recallHit / recallPos >= 0.9, shown: `${recallHit}/${recallPos} = ${pct(recallHit / recallPos)}` });

  for (const c of checks) say('P4R', `${c.ok ? 'PASS' : 'FAIL'} ${c.name}: ${c.shown}`);
  const passed = checks.filter((c) => c.ok).length;
  return {
    id: 'P4R',
    metric: 'real-output checks passed',
    value: passed,
    shown: `${passed}/${checks.length}`,
    target: `${checks.length}/${checks.length}`,
    pass: passed === checks.length && problems.length === 0,
    context: checks.map((c) => c.shown.split(' (')[0]).join(' · '),
    problems,
  };
}

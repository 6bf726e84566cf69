/**
 * P3: throughput of parallel sequences. The same URIAL run (so prefix priming and its copy to every sequence is
 * exercised) with the queue's `backend.parallel` = 4 against 1, same items, threads and context size per sequence.
 */
import type { Services } from '../src/main/services/createServices';
import { f, itemsPerMin, mean, say, timedQueueRun, verdict, withBenchServices, type BenchOptions, type BenchResult, type TimedRun } from './common';

const TARGET = 1.5;

export async function runP3(options: BenchOptions): Promise<BenchResult> {
  const { items: n, maxTokens, threads, urialContextSize: contextSize, parallel } = options;
  say('P3', `parallel sequences · URIAL inst_1k_v4 (en) · ${n} items × ≤${maxTokens} tokens · ${threads} thread(s) · parallel ${parallel} vs 1 · context ${contextSize}/sequence`);
  return withBenchServices('p3', async ({ workbench, modelId, datasetId }) => {
    const request = { model: String(modelId), dataset: String(datasetId), maxTokens, threads, contextSize };
    // Warm-up: loads the model into the BackendPool (zero-shot, so the URIAL prefix is not primed by it).
    await timedQueueRun(workbench, { ...request, method: 'zero-shot', parallel: 1, subset: { limit: 1 } });
    const arm = (p: number): Promise<TimedRun> =>
      timedQueueRun(workbench, { ...request, method: 'urial', promptLang: 'en', parallel: p, subset: { limit: n } });

    const single = await arm(1);
    const multi = await arm(parallel);
    // Diagnostic only (not the verdict): the same comparison on zero-shot prompts (~40 tokens, no preamble), to
    // separate what batching gains per decode from what attention over the ~3.4k-token URIAL context costs.
    const zeroShot = async (p: number) =>
      timedQueueRun(workbench, { ...request, method: 'zero-shot', parallel: p, contextSize: 'auto', subset: { limit: n } });
    const zs1 = await zeroShot(1);
    const zsN = await zeroShot(parallel);

    const problems = [...check(workbench, single, n, 'parallel 1'), ...check(workbench, multi, n, `parallel ${parallel}`)];
    const rate = (r: TimedRun) => itemsPerMin(r.generations.length, r.wallMs);
    const steadyRate = (r: TimedRun) => itemsPerMin(r.generations.length, r.wallMs - r.setupMs);
    const ratio = rate(multi) / rate(single);
    const steadyRatio = steadyRate(multi) / steadyRate(single);
    const byItem = new Map(single.generations.map((g) => [g.itemId, g.outputRaw]));
    const same = multi.generations.filter((g) => byItem.get(g.itemId) === g.outputRaw).length;
    const differing = multi.generations.filter((g) => byItem.get(g.itemId) !== g.outputRaw).map((g) => g.itemId);

    for (const [label, r] of [
      ['parallel 1', single],
      [`parallel ${parallel}`, multi],
    ] as const) {
      const tokens = r.generations.reduce((a, g) => a + g.outputTokens, 0);
      say(
        'P3',
        `${label.padEnd(10)}: ${f(rate(r), 1)} items/min (${f(r.wallMs / 1000, 1)} s for ${r.generations.length}) · setup+priming ${f(r.setupMs / 1000, 2)} s ` +
          `(primed ${r.environment.prefixTokensEvaluatedAtStart ?? '?'} tokens) · after setup ${f(steadyRate(r), 1)} items/min · ` +
          `${f((tokens * 1000) / (r.wallMs - r.setupMs), 0)} output tok/s · evaluated prompt tokens/item ${f(mean(r.generations.map((g) => g.evaluatedPromptTokens)), 1)} ` +
          `(max ${Math.max(...r.generations.map((g) => g.evaluatedPromptTokens))}) · ${f(mean(r.generations.map((g) => g.wallMs)), 0)} ms/item latency`,
      );
    }
    say('P3', `steady-state ratio (setup excluded): ${f(steadyRatio)} · identical outputs parallel ${parallel} vs 1: ${same}/${n}${differing.length > 0 ? ` (differ: items ${differing.slice(0, 8).join(', ')})` : ''}`);
    say(
      'P3',
      `diagnostic, zero-shot (short prompts): parallel ${parallel}/1 ratio ${f(steadyRate(zsN) / steadyRate(zs1))} after setup ` +
        `(${f(steadyRate(zsN), 0)} vs ${f(steadyRate(zs1), 0)} items/min; ${zs1.generations.length}+${zsN.generations.length} generations)`,
    );
    problems.push(...check(workbench, zs1, n, 'zero-shot parallel 1'), ...check(workbench, zsN, n, `zero-shot parallel ${parallel}`));
    for (const p of problems) say('P3', `PROBLEM: ${p}`);
    const pass = ratio >= TARGET && problems.length === 0;
    say('P3', `parallel${parallel}/parallel1 items-per-min ratio: ${f(ratio)} (target ≥ ${TARGET}) ${verdict(pass)}`);
    return {
      id: 'P3',
      metric: `parallel${parallel}/parallel1 items-per-min`,
      value: ratio,
      shown: `${f(ratio)}×`,
      target: `≥ ${TARGET}×`,
      pass,
      context: `${f(rate(multi), 0)} vs ${f(rate(single), 0)} items/min; after setup ${f(steadyRatio)}×`,
      problems,
    };
  });
}

/** Both arms must produce all N generations, none failed: a faster arm that silently drops items is not faster. */
function check(workbench: Services, r: TimedRun, n: number, label: string): string[] {
  const problems: string[] = [];
  if (r.status !== 'done') problems.push(`${label}: run ended "${r.status}" ${workbench.store.runs.get(r.runId)?.error ?? ''}`);
  if (r.generations.length !== n) problems.push(`${label}: ${r.generations.length}/${n} generations stored`);
  const errors = r.generations.filter((g) => g.finishReason === 'error');
  if (errors.length > 0) problems.push(`${label}: ${errors.length} generation error(s): ${errors[0]!.error}`);
  return problems;
}

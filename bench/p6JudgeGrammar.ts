/**
 * P6: what grammar-constrained JSON costs the local judge. Tokens/s of real judge calls (BackendJudge, the
 * five-aspect rubric, the JSON-schema grammar) against unconstrained generation of the same length from the same
 * prompt on the same loaded model, in alternating order.
 */
import { readFileSync } from 'node:fs';
import { LlamaBackend } from '../src/main/core/inference/llama/LlamaBackend';
import {
  ASPECTS_RUBRIC_VERSION,
  BackendJudge,
  BUILTIN_RUBRICS,
  buildJudgePrompt,
  completionPrompt,
  parseVerdict,
  verdictMaxTokens,
  verdictSchema,
} from '../src/main/core/judge';
import { zeroShotMethod } from '../src/main/core/prompting';
import type { SamplerConfig } from '../src/shared/domain';
import { cpuMsSince, DATASET_PATH, f, median, MODEL_PATH, say, verdict, type BenchOptions, type BenchResult } from './common';

const TARGET = 0.9;
/** Length of the answers being judged (generated first by the same model, zero-shot). */
const ANSWER_TOKENS = 64;

interface Arm {
  tokens: number;
  ms: number;
  /** CPU time of this process during the call: much less sensitive to other processes' load than wall time. */
  cpuMs: number;
}

const greedy = (maxTokens: number): SamplerConfig => ({
  maxTokens, temperature: 0, topP: 1, topK: 0, minP: 0, seed: 1, repeatPenalty: 1, repeatPenaltyWindow: 'all', loopStop: { enabled: false, sensitivity: 'medium' },
});

export async function runP6(options: BenchOptions): Promise<BenchResult> {
  const pairs = options.reps;
  const rubric = BUILTIN_RUBRICS.find((r) => r.version === ASPECTS_RUBRIC_VERSION)!;
  say('P6', `judge grammar cost · ${rubric.version} · completion path · ${pairs} item(s) × 2 constrained/unconstrained pairs in opposite orders · greedy · ${options.threads} thread(s)`);
  const instructions = readFileSync(DATASET_PATH, 'utf8')
    .trim()
    .split('\n')
    .slice(0, pairs)
    .map((line) => (JSON.parse(line) as { instruction: string }).instruction);

  const backend = await LlamaBackend.load({ modelPath: MODEL_PATH, gpu: 'cpu', threads: options.threads });
  const judge = new BackendJudge(backend, { identity: 'gguf:bench', prompt: 'completion', release: () => backend.dispose() });
  const problems: string[] = [];
  const constrained: Arm[] = [];
  const free: (Arm & { eos: boolean })[] = [];
  try {
    await backend.configure({ contextSize: 512, parallel: 1 });
    const method = zeroShotMethod.prepare({ method: 'zero-shot' });
    for (let i = 0; i < pairs; i++) {
      const instruction = instructions[i]!;
      const answer = await backend.generate({ prompt: method.build({ id: String(i), instruction, metadata: {} }), sampler: greedy(ANSWER_TOKENS) });
      const { prompt } = buildJudgePrompt(rubric, 'en', { instruction, output: answer.text, lang: 'en' });
      const request = { ...prompt, schema: verdictSchema(rubric), temperature: 0, seed: 1, maxTokens: verdictMaxTokens(rubric) };
      // Warm-up call (untimed): sizes the context, evaluates this prompt once so both timed arms reuse it and
      // evaluate a single prompt token, and gives the verdict's length, which the unconstrained arm then matches.
      const warm = await judge.complete(request);
      const length = warm.outputTokens ?? 0;
      const runConstrained = async () => {
        const cpu = process.cpuUsage();
        const reply = await judge.complete(request);
        const cpuMs = cpuMsSince(cpu);
        const problem = reply.error ?? parseVerdict(reply.raw, rubric).error;
        if (problem) problems.push(`item ${i}: constrained reply is not a complete verdict (${problem})`);
        constrained.push({ tokens: reply.outputTokens ?? 0, ms: reply.wallMs, cpuMs });
      };
      const runFree = async () => {
        const cpu = process.cpuUsage();
        const r = await backend.generate({ prompt: completionPrompt(prompt.system, prompt.user), sampler: greedy(length) });
        const cpuMs = cpuMsSince(cpu);
        if (r.finishReason === 'error') problems.push(`item ${i}: unconstrained generation failed: ${r.error}`);
        free.push({ tokens: r.outputTokens, ms: r.wallMs, cpuMs, eos: r.finishReason === 'eos' });
      };
      // Two pairs per item, in opposite orders (constrained first, then unconstrained first), so a drift of the
      // machine's speed does not favour one arm.
      for (const run of [runConstrained, runFree, runFree, runConstrained]) await run();
    }
  } finally {
    await judge.dispose();
  }

  const rate = (a: Arm) => (a.tokens * 1000) / a.ms;
  const cpuRate = (a: Arm) => (a.tokens * 1000) / a.cpuMs;
  // Headline: the median of the per-pair CPU-time ratios. The question is what the grammar costs the decoding
  // loop (single-threaded here), and on a 2-core machine shared with other jobs a ~0.3 s call's wall time is
  // mostly the scheduler's doing: wall-clock pair ratios are printed too.
  const perPair = constrained.map((c, i) => cpuRate(c) / cpuRate(free[i]!));
  const perPairWall = constrained.map((c, i) => rate(c) / rate(free[i]!));
  const ratio = median(perPair);
  const sum = (arms: Arm[]): Arm => ({ tokens: arms.reduce((a, r) => a + r.tokens, 0), ms: arms.reduce((a, r) => a + r.ms, 0), cpuMs: arms.reduce((a, r) => a + r.cpuMs, 0) });
  const c = sum(constrained);
  const u = sum(free);
  const calls = constrained.length;
  const short = free.filter((r) => r.eos).length;
  say('P6', `constrained (JSON-schema grammar): ${f(rate(c), 0)} tok/s · ${f(c.tokens / calls, 0)} tokens/call · CPU ${f(cpuRate(c), 0)} tok/s`);
  say('P6', `unconstrained, same prompt       : ${f(rate(u), 0)} tok/s · ${f(u.tokens / calls, 0)} tokens/call · CPU ${f(cpuRate(u), 0)} tok/s${short > 0 ? ` (${short} ended at EOS before the verdict's length)` : ''}`);
  say('P6', `per-pair CPU-time ratios: ${perPair.map((r) => f(r)).join(', ')} · pooled ${f(cpuRate(c) / cpuRate(u))}`);
  say('P6', `per-pair wall-clock ratios: ${perPairWall.map((r) => f(r)).join(', ')} · median ${f(median(perPairWall))} · pooled ${f(rate(c) / rate(u))}`);
  for (const p of problems) say('P6', `PROBLEM: ${p}`);
  const pass = ratio >= TARGET && problems.length === 0;
  say('P6', `constrained/unconstrained tokens-per-CPU-second ratio: ${f(ratio)} (target ≥ ${TARGET}) ${verdict(pass)}`);
  return {
    id: 'P6',
    metric: 'grammar/free tokens-per-CPU-second',
    value: ratio,
    shown: f(ratio),
    target: `≥ ${TARGET}`,
    pass,
    context: `constrained ${f(rate(c), 0)} vs unconstrained ${f(rate(u), 0)} tok/s wall, ${f(c.tokens / calls, 0)} tokens/call (wall median ratio ${f(median(perPairWall))})`,
    problems,
  };
}

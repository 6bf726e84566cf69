/**
 * P1: what the run queue costs on top of the library. Items/min of the real queue (RunsService.create +
 * execute: SQLite store, prompt building, BackendPool, LlamaBackend) against a bare node-llama-cpp loop over the
 * same items, model, prompts and settings. Model load is excluded from both arms.
 */
import { LlamaCompletion, type Token } from 'node-llama-cpp';
import { zeroShotMethod } from '../src/main/core/prompting';
import {
  f,
  firstItems,
  getBareLlama,
  itemsPerMin,
  median,
  MODEL_PATH,
  cpuMsSince,
  say,
  timedQueueRun,
  verdict,
  withBenchServices,
  type BenchOptions,
  type BenchResult,
} from './common';

const TARGET = 0.95;

interface Arm {
  ms: number;
  /** CPU time of this process (user + system) during the arm: insensitive to other processes' load. */
  cpuMs: number;
  tokens: number;
}

export async function runP1(options: BenchOptions): Promise<BenchResult> {
  const { items: n, maxTokens, threads, reps } = options;
  say('P1', `queue overhead (detectors off: the same work as the bare loop) · zero-shot · ${n} items × ≤${maxTokens} tokens · ${threads} thread(s) · parallel 1 · ${reps} interleaved rep(s)`);
  return withBenchServices('p1', async ({ workbench, modelId, datasetId }) => {
    const items = firstItems(workbench, datasetId, n);
    const method = zeroShotMethod.prepare({ method: 'zero-shot' });
    const prompts = items.map((item) => {
      const spec = method.build(item);
      if (spec.kind !== 'completion') throw new Error('zero-shot is expected to build completion prompts');
      return spec.text;
    });

    // Bare arm: loaded before any timing.
    const llama = await getBareLlama();
    const model = await llama.loadModel({ modelPath: MODEL_PATH, gpuLayers: 0 });
    // One explicit context size for both arms (what "auto" would pick, rounded up), so neither arm pays for a
    // context re-creation inside the timed region.
    const longest = Math.max(...prompts.map((p) => model.tokenize(p).length + 1));
    const contextSize = Math.ceil((longest + maxTokens + 8) / 256) * 256;
    const context = await model.createContext({ contextSize, threads, flashAttention: false });
    const sequence = context.getSequence();

    const bareLoop = async (): Promise<Arm & { outputs: string[] }> => {
      const outputs: string[] = [];
      let tokens = 0;
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (const prompt of prompts) {
        const completion = new LlamaCompletion({ contextSequence: sequence });
        // Tokens rather than the string: LlamaCompletion tokenizes a string with "trimLeadingSpace" (no SentencePiece
        // dummy-prefix space: "How" → 440), LlamaBackend tokenizes a prefix-less completion as llama.cpp and HF do
        // (" How" → 320). Same text, same tokens as the queue; LlamaCompletion prepends the BOS itself.
        const text = await completion.generateCompletion(model.tokenize(prompt, false), {
          maxTokens,
          temperature: 0,
          // LlamaCompletion's default is a 1.1 penalty over the last 64 tokens; the queue's default is none.
          repeatPenalty: false,
          onToken: (t: Token[]) => void (tokens += t.length),
        });
        completion.dispose();
        outputs.push(text);
      }
      const ms = performance.now() - started;
      return { ms, cpuMs: cpuMsSince(cpu), outputs, tokens };
    };

    const queueRequest = {
      model: String(modelId),
      method: 'zero-shot' as const,
      dataset: String(datasetId),
      maxTokens,
      threads,
      parallel: 1,
      contextSize,
    };
    // Warm the queue: a 1-item run loads the model into the BackendPool and creates the context.
    const warm = await timedQueueRun(workbench, { ...queueRequest, subset: { limit: 1 } });
    await bareLoop(); // and warm the bare arm the same way (first decode allocations)

    const bare: Arm[] = [];
    const queue: Arm[] = [];
    const problems: string[] = [];
    if (warm.status !== 'done') problems.push(`warm-up run ended "${warm.status}"`);
    let bareOutputs: string[] = [];
    let queueOutputs: string[] = [];
    for (let rep = 0; rep < reps; rep++) {
      // Alternate which arm goes first so a drift of the machine's speed does not favour one arm.
      const order = rep % 2 === 0 ? (['bare', 'queue'] as const) : (['queue', 'bare'] as const);
      for (const arm of order) {
        if (arm === 'bare') {
          const r = await bareLoop();
          bare.push(r);
          bareOutputs = r.outputs;
        } else {
          const cpu = process.cpuUsage();
          const r = await timedQueueRun(workbench, { ...queueRequest, subset: { limit: n } });
          const used = cpuMsSince(cpu);
          if (r.status !== 'done') problems.push(`queue run ${r.runId} ended "${r.status}"`);
          if (r.generations.length !== n) problems.push(`queue run ${r.runId} stored ${r.generations.length}/${n} generations`);
          const errors = r.generations.filter((g) => g.finishReason === 'error');
          if (errors.length > 0) problems.push(`queue run ${r.runId}: ${errors.length} error(s): ${errors[0]!.error}`);
          queue.push({ ms: r.wallMs, cpuMs: used, tokens: r.generations.reduce((a, g) => a + g.outputTokens, 0) });
          queueOutputs = r.generations.map((g) => g.outputRaw);
        }
      }
    }
    await context.dispose();
    await model.dispose();

    const total = (arms: Arm[]) => ({
      ms: arms.reduce((a, r) => a + r.ms, 0),
      cpuMs: arms.reduce((a, r) => a + r.cpuMs, 0),
      tokens: arms.reduce((a, r) => a + r.tokens, 0),
      items: arms.length * n,
    });
    const b = total(bare);
    const q = total(queue);
    const bareRate = itemsPerMin(b.items, b.ms);
    const queueRate = itemsPerMin(q.items, q.ms);
    // Headline: the median of the paired per-rep ratios (each pair ran back to back), robust to a burst of load
    // from other processes during one arm. items/min ratio = bare time / queue time.
    const perRep = queue.map((r, i) => bare[i]!.ms / r.ms);
    const ratio = median(perRep);
    const pooled = queueRate / bareRate;
    const cpuRatio = b.cpuMs / q.cpuMs;
    const same = queueOutputs.filter((text, i) => text === bareOutputs[i]).length;

    say('P1', `context size ${contextSize} for both arms`);
    const describe = (a: typeof b) =>
      `${f(itemsPerMin(a.items, a.ms), 1)} items/min · ${f(a.ms / a.items, 1)} ms/item · ${f((a.tokens * 1000) / a.ms, 0)} tok/s · ` +
      `${f(a.tokens / a.items, 1)} tokens/item · CPU ${f(a.cpuMs / a.items, 1)} ms/item`;
    say('P1', `bare  node-llama-cpp: ${describe(b)}`);
    say('P1', `queue run          : ${describe(q)}`);
    say('P1', `per-rep ratios: ${perRep.map((r) => f(r)).join(', ')} · pooled ${f(pooled)} · CPU-time ratio ${f(cpuRatio)}`);
    say('P1', `identical outputs (last rep): ${same}/${n}`);
    for (const p of problems) say('P1', `PROBLEM: ${p}`);
    const pass = ratio >= TARGET && problems.length === 0;
    say('P1', `queue/bare items-per-min ratio: ${f(ratio)} (target ≥ ${TARGET}) ${verdict(pass)}`);
    return {
      id: 'P1',
      metric: 'queue/bare items-per-min',
      value: ratio,
      shown: f(ratio),
      target: `≥ ${TARGET}`,
      pass,
      context: `queue ${f(queueRate, 0)} vs bare ${f(bareRate, 0)} items/min (pooled ratio ${f(pooled)}, CPU ${f(cpuRatio)})`,
      problems,
    };
  },
  // The queue alone, doing the same work as the bare loop. The critical-error detectors (on by default, run as each
  // generation lands) are a pipeline stage of their own: about 1 ms per item, which is ~6% of a 32-token item on
  // this 260K-parameter model and nothing on a real one.
  { detectOnGenerate: false });
}

/**
 * P2: how much of the URIAL prompt is evaluated per item. The preamble (inst_1k_v4, ~3.4k tokens with
 * stories260K's tokenizer) is the same for every item: the queue should evaluate it once per run (primePrefix)
 * and then only each item's instruction plus the few template tokens around it. Compared with a naive arm that
 * re-evaluates the whole prompt for every item.
 */
import { LlamaCompletion, type Token } from 'node-llama-cpp';
import { createUrialMethod } from '../src/main/core/prompting';
import {
  f,
  firstItems,
  getBareLlama,
  mean,
  MODEL_PATH,
  RESOURCES_DIR,
  say,
  timedQueueRun,
  URIAL_DIR,
  verdict,
  withBenchServices,
  type BenchOptions,
  type BenchResult,
} from './common';

/** Allowed template tokens around the instruction ("```\n\n# Query:\n```\n" … "```\n\n# Answer:\n```\n"). */
const SLACK = 64;

export async function runP2(options: BenchOptions): Promise<BenchResult> {
  const { items: n, maxTokens, threads, urialContextSize: contextSize } = options;
  const naiveN = Math.min(options.naiveItems, n);
  say('P2', `URIAL prefix reuse · inst_1k_v4 (en) · ${n} items (naive arm ${naiveN}) × ≤${maxTokens} tokens · ${threads} thread(s) · context ${contextSize}`);
  return withBenchServices('p2', async ({ workbench, modelId, datasetId }) => {
    const items = firstItems(workbench, datasetId, n);
    const method = createUrialMethod({ resourcesDir: RESOURCES_DIR, officialDir: URIAL_DIR }).prepare({ method: 'urial', promptLang: 'en' });
    const prompts = items.map((item) => {
      const spec = method.build(item);
      if (spec.kind !== 'completion') throw new Error('URIAL is expected to build completion prompts');
      return spec;
    });

    const request = {
      model: String(modelId),
      dataset: String(datasetId),
      maxTokens,
      threads,
      parallel: 1,
      contextSize,
    };
    // Warm-up: loads the model into the BackendPool and creates the context (same size and parallelism), without
    // touching the URIAL prefix.
    await timedQueueRun(workbench, { ...request, method: 'zero-shot', subset: { limit: 1 } });
    const run = await timedQueueRun(workbench, { ...request, method: 'urial', promptLang: 'en', subset: { limit: n } });

    const problems: string[] = [];
    if (run.status !== 'done') problems.push(`queue run ended "${run.status}"`);
    if (run.generations.length !== n) problems.push(`queue run stored ${run.generations.length}/${n} generations`);
    const errors = run.generations.filter((g) => g.finishReason === 'error');
    if (errors.length > 0) problems.push(`${errors.length} generation error(s): ${errors[0]!.error}`);

    // Token counts with the model's own tokenizer, and the naive arm, with plain node-llama-cpp.
    const llama = await getBareLlama();
    const model = await llama.loadModel({ modelPath: MODEL_PATH, gpuLayers: 0 });
    const instructionTokens = items.map((item) => model.tokenize(item.instruction, false, 'trimLeadingSpace').length);
    const prefixTokens = model.tokenize(prompts[0]!.prefix, false).length + 1; // + BOS, as LlamaBackend feeds it

    const context = await model.createContext({ contextSize, threads, flashAttention: false });
    const sequence = context.getSequence();
    const naive: { ms: number; tokens: number; evaluated: number }[] = [];
    for (const prompt of prompts.slice(0, naiveN)) {
      // Naive: nothing survives from the previous item, the whole prompt is evaluated again.
      await sequence.clearHistory();
      const completion = new LlamaCompletion({ contextSequence: sequence });
      const controller = new AbortController();
      let text = '';
      let tokens = 0;
      const started = performance.now();
      await completion.generateCompletion(prompt.text, {
        maxTokens,
        temperature: 0,
        repeatPenalty: false,
        signal: controller.signal,
        stopOnAbortSignal: true,
        // The queue stops at "# Query" in text space (DESIGN §3): do the same so both arms generate alike.
        onTextChunk: (chunk) => {
          text += chunk;
          if (prompt.stop.some((s) => text.includes(s))) controller.abort();
        },
        onToken: (t: Token[]) => void (tokens += t.length),
      });
      naive.push({ ms: performance.now() - started, tokens, evaluated: sequence.nextTokenIndex - tokens });
      completion.dispose();
    }
    await context.dispose();
    await model.dispose();

    const evaluated = run.generations.map((g) => g.evaluatedPromptTokens);
    const promptTokens = run.generations.map((g) => g.promptTokens);
    const meanEvaluated = mean(evaluated);
    const meanInstruction = mean(instructionTokens);
    const primed = Number(run.environment.prefixTokensEvaluatedAtStart ?? Number.NaN);
    const queuePerItem = run.wallMs / n / 1000; // includes the one-off priming, amortised over the run
    const queueSteady = mean(run.generations.map((g) => g.wallMs)) / 1000;
    const naivePerItem = mean(naive.map((r) => r.ms)) / 1000;
    const speedup = naivePerItem / queuePerItem;
    const worst = run.generations.reduce((a, g, i) => (g.evaluatedPromptTokens - instructionTokens[i]! > a.excess ? { excess: g.evaluatedPromptTokens - instructionTokens[i]!, i } : a), {
      excess: -Infinity,
      i: 0,
    });
    const pass = meanEvaluated <= meanInstruction + SLACK && problems.length === 0;

    say('P2', `prompt: ${f(mean(promptTokens), 1)} tokens/item on average (preamble ${prefixTokens} incl. BOS); primed once at run start: ${primed} tokens in ${f(run.setupMs / 1000, 2)} s`);
    say('P2', `queue: evaluated prompt tokens/item mean ${f(meanEvaluated, 1)} (min ${Math.min(...evaluated)}, max ${Math.max(...evaluated)}; first item ${evaluated[0]}) · instruction alone ${f(meanInstruction, 1)} tokens/item · worst item ${items[worst.i]?.id}: +${worst.excess}`);
    say('P2', `queue: ${f(queuePerItem, 3)} s/item incl. priming (${f(run.wallMs / 1000, 1)} s for ${n}) · ${f(queueSteady, 3)} s/item generate() alone · ${f(mean(run.generations.map((g) => g.outputTokens)), 1)} output tokens/item`);
    say('P2', `naive (clearHistory before each item): ${f(naivePerItem, 3)} s/item over ${naiveN} items · ${f(mean(naive.map((r) => r.evaluated)), 0)} prompt tokens evaluated/item · ${f(mean(naive.map((r) => r.tokens)), 1)} output tokens/item`);
    say('P2', `speedup naive/queue s/item: ${f(speedup, 1)}× incl. priming over ${n} items · ${f(naivePerItem / queueSteady, 1)}× steady state`);
    for (const p of problems) say('P2', `PROBLEM: ${p}`);
    say('P2', `evaluated tokens/item: ${f(meanEvaluated, 1)} vs instruction ${f(meanInstruction, 1)} + ${SLACK} = ${f(meanInstruction + SLACK, 1)} (target evaluated ≤ instruction + ${SLACK}) ${verdict(pass)}`);
    return {
      id: 'P2',
      metric: 'evaluated prompt tokens/item',
      value: meanEvaluated,
      shown: f(meanEvaluated, 1),
      target: `≤ ${f(meanInstruction + SLACK, 1)}`,
      pass,
      context: `instruction ${f(meanInstruction, 1)} tok; ${f(speedup, 1)}× faster than naive (${f(queuePerItem, 2)} vs ${f(naivePerItem, 2)} s/item)`,
      problems,
    };
  });
}

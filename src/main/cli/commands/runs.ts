import { Option, type Command } from 'commander';
import { DEFAULT_LOOP_STOP } from '../../../shared/defaults';
import { LOOP_STOP_SENSITIVITIES, METHODS, type GpuOffload, type Lang, type LoopStopConfig, type MethodName, type RunStatus, type Subset } from '../../../shared/domain';
import { DECODING_PRESET_NAMES, type DecodingPresetName } from '../../../shared/presets';
import type { RunPlanRequest } from '../../../shared/runs';
import { call, EXIT, on, onInterrupt, printId, UsageError, userPath } from '../context';
import { isFinal, watchEnds } from '../follow';
import { formatReasons, gpuOffload, int, list, num, runIdOf } from '../options';
import { createProgressReporter } from '../progress';
import { modelRef } from './models';

interface RunOpts {
  promptFile?: string; promptLang?: string; systemPrompt?: string; chatTemplate?: string; template?: string;
  allowPromptLangMismatch?: boolean; chatDate?: string; allowSystemFold?: boolean; preset?: DecodingPresetName;
  limit?: number; category?: string; taskType?: string; ids?: string; sample?: number; sampleSeed?: number;
  maxTokens?: number; seed?: number; temperature?: number; topP?: number; topK?: number; minP?: number;
  repeatPenalty?: number; repeatWindow?: string; loopStop?: boolean; loopStopSensitivity?: LoopStopConfig['sensitivity']; threads?: number; parallel?: number; contextSize?: number;
  gpu?: GpuOffload; name?: string;
}

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--prompt-file <file>', 'URIAL prompt file (default: the shipped file for the prompt language)')
    .option('--prompt-lang <code>', 'URIAL prompt language, independent of the dataset language (default: the dataset\'s)')
    .option('--system-prompt <text>', 'chat: system prompt')
    .option('--chat-template <name>', 'chat: use this node-llama-cpp chat wrapper instead of the GGUF template')
    .option('--template <text>', 'custom: template with {instruction}')
    .option(
      '--allow-prompt-lang-mismatch',
      'URIAL: allow a prompt file in another language than the dataset (e.g. the official English file on French items); the run is labelled "URIAL (en prompt)"',
    )
    .option('--chat-date <YYYY-MM-DD>', 'chat: the date shown by templates that print today\'s date (default: the day the run is created; recorded with the run)')
    .option('--allow-system-fold', 'chat: confirm folding the system prompt into the user turn when the template has no system role')
    .addOption(
      new Option('--preset <name>', 'decoding preset applied under the explicit sampler flags; recorded with the run when the sampler still matches it').choices(
        DECODING_PRESET_NAMES,
      ),
    )
    .option('--limit <n>', 'only the first N items of the subset', int('--limit'))
    .option('--category <name>', 'subset: items of this category (e.g. regular, safety)')
    .option('--task-type <name>', 'subset: items with this task type')
    .option('--ids <file|list>', 'subset: an id list file (JSON array, {key: [...]}, or one per line; file#key) or comma-separated ids')
    .option('--sample <n>', 'subset: seeded random sample of N items', int('--sample'))
    .option('--sample-seed <n>', 'seed of --sample (default: 1)', int('--sample-seed'))
    .option('--max-tokens <n>', 'maximum new tokens per item (default: 1024)', int('--max-tokens'))
    .option('--seed <n>', 'run seed; each item gets a seed derived from it and its id (default: 42)', int('--seed'))
    .option('--temperature <t>', 'sampling temperature; 0 = greedy (default: 0)', num('--temperature'))
    .option('--top-p <p>', 'nucleus sampling (default: 1)', num('--top-p'))
    .option('--top-k <k>', 'top-k; 0 = off (default: 0)', int('--top-k'))
    .option('--min-p <p>', 'min-p (default: 0)', num('--min-p'))
    .option('--repeat-penalty <x>', 'repetition penalty; 1 = off (default: 1)', num('--repeat-penalty'))
    .option('--repeat-window <n|all>', 'tokens the repeat penalty looks back over; "all" = whole prompt + output, as HF/vLLM (default: all)')
    .option('--no-loop-stop', 'generate to EOS/stop/max tokens even when the output loops (default: stop loops early, finish reason "loop")')
    .addOption(new Option('--loop-stop-sensitivity <level>', 'how soon a loop is stopped (default: medium)').choices(LOOP_STOP_SENSITIVITIES))
    .option('--threads <n>', 'CPU threads (default: physical cores)', int('--threads'))
    .option('--parallel <n>', 'parallel sequences (default: 1)', int('--parallel'))
    .option('--context-size <n>', 'context size per sequence (default: longest prompt + max tokens)', int('--context-size'))
    .option('--gpu <auto|cpu|layers>', 'GPU offload: auto (as many layers as fit), cpu (none), or a number of layers (default: auto)', gpuOffload)
    .option('--name <name>', 'run name');
}

/** The run settings of the options, as the API's plan request takes them (models, methods and datasets apart). */
async function runSettings(o: RunOpts): Promise<Omit<RunPlanRequest, 'models' | 'methods' | 'datasets'>> {
  const subset: Subset = {};
  if (o.category) subset.category = o.category;
  if (o.taskType) subset.taskType = o.taskType;
  if (o.ids) subset.ids = /[/\\.#]/.test(o.ids) ? (await call('datasets.readIdList', { source: userPath(o.ids) })).ids : list(o.ids);
  if (o.sample !== undefined) subset.sample = { size: o.sample, seed: o.sampleSeed ?? 1 };
  if (o.limit !== undefined) subset.limit = o.limit;
  const defined = <T extends object>(x: T) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
  let repeatPenaltyWindow: number | 'all' | undefined;
  if (o.repeatWindow !== undefined) {
    if (o.repeatWindow !== 'all' && !/^\d+$/.test(o.repeatWindow)) throw new UsageError('--repeat-window must be a number of tokens or "all".');
    repeatPenaltyWindow = o.repeatWindow === 'all' ? 'all' : Number(o.repeatWindow);
  }
  return {
    promptFile: o.promptFile === undefined ? undefined : userPath(o.promptFile),
    promptLangs: o.promptLang ? [o.promptLang as Lang] : undefined,
    systemPrompt: o.systemPrompt,
    chatTemplate: o.chatTemplate,
    template: o.template,
    allowPromptLangMismatch: o.allowPromptLangMismatch,
    chatDate: o.chatDate,
    allowSystemFold: o.allowSystemFold,
    preset: o.preset,
    subset,
    sampler: defined({
      maxTokens: o.maxTokens, seed: o.seed, temperature: o.temperature, topP: o.topP, topK: o.topK, minP: o.minP,
      repeatPenalty: o.repeatPenalty, repeatPenaltyWindow,
      // Commander's --no-loop-stop makes loopStop default to true; only a flag given sends the setting.
      loopStop:
        o.loopStop === false || o.loopStopSensitivity !== undefined
          ? { enabled: o.loopStop !== false, sensitivity: o.loopStopSensitivity ?? DEFAULT_LOOP_STOP.sensitivity }
          : undefined,
    }),
    backend: defined({ threads: o.threads, parallel: o.parallel, contextSize: o.contextSize, gpu: o.gpu }),
    name: o.name,
  };
}

export const exitCodeOf = (status: RunStatus) => (status === 'done' ? EXIT.ok : status === 'paused' ? EXIT.interrupted : EXIT.failed);

/**
 * Starts a run through the API and follows it until it ends, with a progress bar from the pushed events; Ctrl-C
 * pauses it (finished items are stored; `runs resume` continues). Returns the exit code.
 */
export async function runInForeground(runId: number): Promise<number> {
  const ends = watchEnds('runs.changed', (e) => e.runId, (e) => isFinal(e.status));
  const before = await call('runs.get', { runId });
  const reporter = createProgressReporter(before.name, before.total, before.done + before.failed);
  const stopProgress = on('run.progress', (p) => p.runId === runId && reporter.update(p));
  const stopModel = on('model.state', (m) => reporter.loading(m.progress));
  const stopListening = onInterrupt(() => void call('runs.pause', { runId }));
  await call('runs.start', { runId });
  const { status } = await ends.end(runId);
  for (const stop of [stopListening, stopProgress, stopModel, ends.stop]) stop();
  reporter.stop();
  const run = await call('runs.get', { runId });
  console.log(`run ${run.id} ${status}: ${run.done + run.failed}/${run.total} · ${formatReasons(run.finishReasons)}${run.error ? `\nerror: ${run.error}` : ''}`);
  if (status === 'paused') console.log(`resume with: runs resume ${run.id}`);
  return exitCodeOf(status);
}

export function registerRuns(program: Command): void {
  const runs = program.command('runs').description('generation runs: model × method × dataset × decoding settings');
  const methodOption = new Option('--method <method>', 'prompting method').choices(METHODS).makeOptionMandatory();
  addRunOptions(
    runs
      .command('create')
      .description('plan a run (its items are frozen now); prints the run id last')
      .requiredOption('--model <id|path>', 'model id, or a GGUF path (added to the library if new)')
      .addOption(methodOption)
      .requiredOption('--dataset <id|name>', 'dataset id or name'),
  ).action(async (o: RunOpts & { model: string; method: MethodName; dataset: string }) => {
    const [run] = await call('runs.create', { ...(await runSettings(o)), models: [modelRef(o.model)], methods: [o.method], datasets: [o.dataset] });
    console.log(`planned "${run!.name}": ${run!.total} items`);
    printId(run!.id);
  });
  addRunOptions(
    runs
      .command('batch')
      .description(
        'plan the cross product (models × methods, and/or every role of each family × the methods that fit it: base → zero-shot ' +
          'and URIAL, sft/dpo → chat) × datasets; prints one run id per line',
      )
      .option('--models <list>', 'comma-separated model ids or paths (with --methods)', list)
      .option('--methods <list>', `comma-separated methods (${METHODS.join(', ')}) for --models`, list)
      .option('--families <list>', 'comma-separated family ids or names (see "models family list")', list)
      .requiredOption('--datasets <list>', 'comma-separated dataset ids or names', list),
  ).action(async (o: RunOpts & { models?: string[]; methods?: string[]; families?: string[]; datasets: string[] }) => {
    if (!o.models?.length && !o.families?.length) throw new UsageError('Give --models with --methods, or --families, or both.');
    if (o.models?.length && !o.methods?.length) throw new UsageError('--models needs --methods: which methods to run them with.');
    if (o.methods?.length && !o.models?.length) throw new UsageError('--methods goes with --models (a family\'s methods follow from its roles).');
    const bad = (o.methods ?? []).filter((m) => !(METHODS as readonly string[]).includes(m));
    if (bad.length > 0) throw new UsageError(`Unknown method(s) ${bad.join(', ')}: use ${METHODS.join(', ')}.`);
    const created = await call('runs.create', {
      ...(await runSettings(o)),
      models: (o.models ?? []).map(modelRef),
      methods: (o.methods ?? []) as MethodName[],
      families: o.families,
      datasets: o.datasets,
    });
    for (const run of created) printId(run.id);
  });
  runs.command('start <run-id>').description('run in the foreground until done (Ctrl-C pauses)').action(async (id: string) => {
    process.exitCode = await runInForeground(runIdOf(id));
  });
  runs
    .command('resume <run-id>')
    .description('continue a paused, interrupted or failed run with exactly its missing items (and retry failed items)')
    .action(async (id: string) => {
      process.exitCode = await runInForeground(runIdOf(id));
    });
  runs.command('status <run-id>').description('show progress and configuration').action(async (id: string) => {
    const run = await call('runs.get', { runId: runIdOf(id) });
    console.log(`run ${run.id} "${run.name}" · ${run.kind} · ${run.status}: ${run.done + run.failed}/${run.total}`);
    console.log(`finish reasons: ${formatReasons(run.finishReasons)}`);
    if (run.error) console.log(`error: ${run.error}`);
    console.log(JSON.stringify({ config: run.config, method: run.provenance, environment: run.environment }, null, 2));
    console.log(run.status);
  });
  runs.command('list').description('list the runs').action(async () => {
    for (const r of await call('runs.list', {})) console.log(`${r.id}\t${r.status}\t${r.done + r.failed}/${r.total}\t${r.name}`);
  });
}

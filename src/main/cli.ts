#!/usr/bin/env node
/**
 * Headless CLI over the same api as the desktop app: the way to run studies on a GPU server or from scripts.
 * The invocations documented in README.md ("CLI contract") are used by outside scripts: keep them working.
 *
 * Exit codes: 0 ok · 1 failed (bad input, failed run) · 2 usage error · 130 interrupted (run paused, resumable).
 */
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { DEFAULT_LOOP_STOP } from '../shared/defaults';
import { LOOP_STOP_SENSITIVITIES, METHODS, MODEL_ROLES, type GpuOffload, type Lang, type LoopStopConfig, type MethodName, type ModelRole, type RunProgress, type Subset } from '../shared/domain';
import type { RunStatus } from '../shared/domain';
import { RESULTS_GROUP_KEYS, type ResultsGroupKey, type TableFormat } from '../shared/api';
import { JUDGE_LANGS, NA_POLICIES, type JudgeLangChoice, type NaPolicy } from '../shared/judging';
import { readIdList } from './core/datasets';
import { Workbench } from './api/Workbench';
import { createApi } from './api/createApi';
import { ensureSampleDatasets, SAMPLE_LANGS, sampleDatasetName } from './api/firstRun';
import { Judging } from './api/Judging';
import { formatExport } from './api/formatExport';
import { resultsDpoPairs, resultsTable } from './api/results';
import { APP_ROOT, defaultDataDir, RESOURCES_DIR, urialOfficialDir } from './paths';
import { createDownloadProgressReporter, createJudgeProgressReporter, createProgressReporter } from './cliProgress';
import { createModelDownloads } from './api/modelDownloads';
import { usableDownloadFolder } from './api/appSettings';
import { readModelCatalogue } from './core/models/downloadCatalogue';
import { formatBytes } from '../shared/formatBytes';
import { isLoopbackHost } from './transports/http/hostGuard';
import { startHttpServer } from './transports/http/startHttpServer';

const EXIT = { ok: 0, failed: 1, usage: 2, interrupted: 130 } as const;

/** A bad combination of arguments found after parsing (commander reports the ones it finds itself). */
class UsageError extends Error {}

const program = new Command('align')
  .description('Align Workbench: evaluate how small language models follow instructions (zero-shot, URIAL, chat).')
  .option('--data-dir <dir>', 'where the SQLite store and app data live (env ALIGN_DATA_DIR)')
  .showHelpAfterError()
  .exitOverride();

let workbench: Workbench | undefined;
function wb(): Workbench {
  const dataDir = program.opts<{ dataDir?: string }>().dataDir ?? process.env.ALIGN_DATA_DIR ?? defaultDataDir();
  workbench ??= new Workbench({ dataDir: resolve(dataDir), resourcesDir: RESOURCES_DIR, urialOfficialDir: urialOfficialDir() });
  return workbench;
}

let judging: Judging | undefined;
/** Judging in the CLI has no OS keychain: remote judges read their API key from an environment variable. */
function jd(): Judging {
  judging ??= new Judging(wb());
  return judging;
}

const int = (name: string) => (value: string) => {
  if (!/^-?\d+$/.test(value)) throw new InvalidArgumentError(`${name} must be an integer.`);
  return Number(value);
};
const num = (name: string) => (value: string) => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number.`);
  return n;
};
const runIdOf = (value: string) => {
  if (!/^\d+$/.test(value)) throw new UsageError(`run id must be a positive integer, got "${value}".`);
  return Number(value);
};
const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);
const gpuOffload = (value: string): GpuOffload => {
  if (value === 'auto' || value === 'cpu') return value;
  if (/^\d+$/.test(value)) return Number(value);
  throw new InvalidArgumentError('--gpu must be auto, cpu, or a number of layers to offload.');
};

// MODELS

const models = program.command('models').description('the model library');
models
  .command('add [file]')
  .description(
    'check a GGUF file (header, metadata, completeness) and add it, or add a model served by an OpenAI-compatible server ' +
      '(--openai <base-url> --model <name>, checked against its model list); prints the model id last',
  )
  .option('--openai <base-url>', 'an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, OpenAI), e.g. http://127.0.0.1:8000/v1')
  .option('--model <name>', 'with --openai: the model name the server serves')
  .option('--api-key-env <VAR>', 'with --openai: the environment variable holding the API key (read when the model runs, never stored)')
  .addOption(new Option('--endpoint <kind>', 'with --openai: completions (base models: zero-shot, URIAL) or chat (chat models)').choices(['completions', 'chat']).default('chat'))
  .option('--name <name>', 'with --openai: the name shown in the library (default: the model name)')
  .action(async (file: string | undefined, o: { openai?: string; model?: string; apiKeyEnv?: string; endpoint: 'completions' | 'chat'; name?: string }) => {
    if (Boolean(file) === Boolean(o.openai)) throw new UsageError('Give a GGUF file, or --openai <base-url> --model <name>.');
    if (o.openai) {
      if (!o.model) throw new UsageError('--openai needs --model <name>: the model the server serves.');
      const r = await wb().addRemoteModel({ baseUrl: o.openai, model: o.model, apiKeyEnv: o.apiKeyEnv, endpoint: o.endpoint, name: o.name });
      console.log(`${r.name} · remote (${o.endpoint}) · ${r.path} · key: ${o.apiKeyEnv ? `$${o.apiKeyEnv}` : 'none'}`);
      printId(r.id);
      return;
    }
    if (o.model || o.apiKeyEnv || o.name) throw new UsageError('--model, --api-key-env and --name go with --openai, not with a GGUF file.');
    const m = await wb().addModel(file!);
    console.log(`${m.name} · ${m.architecture ?? '?'} · ${formatParams(m.parameterCount)} · ${m.quantization ?? '?'} · ctx ${m.trainContextSize ?? '?'}`);
    console.log(`chat template: ${m.chatTemplate ? 'yes' : 'none'} · runnable: ${m.runnable ? 'yes' : 'no (vocab only)'} · sha256 ${m.sha256}`);
    printId(m.id);
  });
models
  .command('list')
  .description('list the models')
  .action(() => {
    for (const m of wb().store.models.list())
      console.log(`${m.id}\t${m.name}\t${m.architecture ?? '?'}\t${formatParams(m.parameterCount)}\t${m.quantization ?? '?'}\t${m.path}`);
  });

models
  .command('scan <folder>')
  .description('add every *.gguf file under a folder (recursive); prints one line per file, then the count added')
  .action(async (folder: string) => {
    const result = await wb().library.scan(folder);
    for (const m of result.added) console.log(`added\t${m.id}\t${m.path}`);
    for (const f of result.failed) console.log(`failed\t${f.message}`);
    if (result.truncated) console.log('note: the scan stopped at its file limit; scan sub-folders separately.');
    // Hashes of new files run in the background: wait for them so the store is complete when the CLI exits.
    await Promise.all(result.added.map((m) => wb().library.sha256Of(m)));
    console.log(`${result.added.length} of ${result.found} GGUF file(s) added`);
    if (result.failed.length) process.exitCode = EXIT.failed;
  });
models
  .command('catalogue')
  .description('the recommended small models (base + instruct pairs) that "models download <id>" fetches')
  .action(() => {
    for (const e of readModelCatalogue(RESOURCES_DIR))
      console.log(`${e.id}\t${e.role}\t${formatParams(e.parameters)}\t${formatBytes(e.approxSizeBytes)}\t${e.licence}\t${e.uri}`);
  });

models
  .command('download <uri-or-id>')
  .description(
    'download a GGUF (hf:<user>/<repo>/<file.gguf>, an https URL, or an id from "models catalogue"), check that it is a GGUF and ' +
      'add it to the library; needs an internet connection (HF_TOKEN for gated repositories); Ctrl-C pauses and the same command ' +
      'resumes from the bytes on disk; prints the model id last',
  )
  .option('--dir <folder>', 'download folder (default: the download-folder setting, <data dir>/models)')
  .action(async (ref: string, o: { dir?: string }) => {
    const entry = readModelCatalogue(RESOURCES_DIR).find((e) => e.id === ref);
    const uri = entry?.uri ?? ref;
    if (!entry && !/^(hf:|https?:\/\/)/i.test(uri)) {
      throw new UsageError(`"${ref}" is not an id of "models catalogue", an hf:<user>/<repo>/<file.gguf> URI or an http(s) URL.`);
    }
    const dir = o.dir === undefined ? undefined : usableDownloadFolder(resolve(o.dir));
    const downloads = createModelDownloads(wb(), { onProgress: createDownloadProgressReporter(), dir });
    // The same command after a Ctrl-C (or a failure) continues the last download of this URI into its folder.
    const earlier = downloads.list().find((d) => d.uri === uri && (d.status === 'paused' || d.status === 'failed') && (dir === undefined || d.dir === dir));
    const begun = earlier ? await downloads.resume(earlier.id) : await downloads.start(uri, entry?.id);
    const pause = () => void downloads.pause(begun.id);
    process.once('SIGINT', pause);
    process.once('SIGTERM', pause);
    const end = await downloads.settled(begun.id);
    if (end.status === 'paused') {
      console.log(`download ${end.id} paused at ${formatBytes(end.downloadedBytes)} of ${formatBytes(end.totalBytes)}: the same command resumes it`);
      process.exitCode = EXIT.interrupted;
      return;
    }
    if (end.status !== 'done' || end.modelId === null) throw new Error(end.error ?? `Download ${end.id} ended ${end.status}.`);
    const m = wb().store.models.get(end.modelId)!;
    console.log(`${m.name} · ${m.architecture ?? '?'} · ${formatParams(m.parameterCount)} · ${m.quantization ?? '?'} · ${m.path}`);
    printId(m.id);
  });

const family = models.command('family').description('model families: a base model with its instruction-tuned and DPO variants');
family
  .command('create <name>')
  .description('create a family; prints its id last')
  .action((name: string) => printId(wb().library.createFamily(name).id));
family
  .command('list')
  .description('list the families and their members with roles')
  .action(() => {
    for (const f of wb().library.families())
      console.log(`${f.id}\t${f.name}\t${f.members.map((m) => `${m.modelId}:${m.role}`).join(' ') || '(no members)'}`);
  });
family
  .command('assign <model> <family>')
  .description('put a model (id or path) in a family (id or name) with a role')
  .addOption(new Option('--role <role>', 'its role in the family').choices(MODEL_ROLES).makeOptionMandatory())
  .action(async (model: string, familyRef: string, o: { role: ModelRole }) => {
    const m = await wb().resolveModel(model);
    const entry = wb().library.setFamily(m.id, wb().library.family(familyRef).id, o.role);
    console.log(`${entry.name} is now "${o.role}" in family ${familyRef}`);
  });
family
  .command('unassign <model>')
  .description('take a model out of its family')
  .action(async (model: string) => {
    const m = await wb().resolveModel(model);
    wb().library.setFamily(m.id, null, undefined);
    console.log(`${m.name} is in no family now`);
  });

// DATASETS

const datasets = program.command('datasets').description('instruction datasets');
datasets
  .command('import <file>')
  .description('import a JSONL, JSON (array) or CSV dataset, all or nothing; prints the dataset id last')
  .requiredOption('--lang <code>', 'ISO 639-1 language of the instructions, e.g. en, fr, es')
  .option('--name <name>', 'dataset name (default: the file name)')
  .option('--id-field <field>', 'source field holding the item id (default: id, else the row index)')
  .option('--instruction-field <field>', 'source field holding the instruction (default: instruction)')
  .option('--delimiter <char>', 'CSV delimiter (default: ,)')
  .option('--parallel-with <dataset>', 'link to a dataset in another language: items with the same id are parallel')
  .action(async (file: string, o: { lang: string; name?: string; idField?: string; instructionField?: string; delimiter?: string; parallelWith?: string }) => {
    const mapping = o.idField || o.instructionField ? { id: o.idField, instruction: o.instructionField } : undefined;
    const d = await wb().importDataset(file, { lang: o.lang, name: o.name, mapping, delimiter: o.delimiter, parallelWith: o.parallelWith });
    console.log(`imported ${d.itemCount} items as "${d.name}" (${d.lang}, ${d.format})${d.parallelGroup ? ` · parallel group ${d.parallelGroup}` : ''}`);
    printId(d.id);
  });
datasets
  .command('list')
  .description('list the datasets')
  .action(() => {
    for (const d of wb().store.datasets.list())
      console.log(`${d.id}\t${d.name}\t${d.lang}\t${d.itemCount} items${d.parallelGroup ? `\tparallel: ${d.parallelGroup}` : ''}`);
  });

// RUNS

const runs = program.command('runs').description('generation runs: model × method × dataset × decoding settings');

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--prompt-file <file>', 'URIAL prompt file (default: the shipped file for the prompt language)')
    .option('--prompt-lang <code>', 'URIAL prompt language, independent of the dataset language (default: the dataset\'s)')
    .option('--system-prompt <text>', 'chat: system prompt')
    .option('--chat-template <name>', 'chat: use this node-llama-cpp chat wrapper instead of the GGUF template')
    .option('--template <text>', 'custom: template with {instruction}')
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

interface RunOpts {
  promptFile?: string; promptLang?: string; systemPrompt?: string; chatTemplate?: string; template?: string;
  limit?: number; category?: string; taskType?: string; ids?: string; sample?: number; sampleSeed?: number;
  maxTokens?: number; seed?: number; temperature?: number; topP?: number; topK?: number; minP?: number;
  repeatPenalty?: number; repeatWindow?: string; loopStop?: boolean; loopStopSensitivity?: LoopStopConfig['sensitivity']; threads?: number; parallel?: number; contextSize?: number;
  gpu?: GpuOffload; name?: string;
}

function runRequest(o: RunOpts) {
  const subset: Subset = {};
  if (o.category) subset.category = o.category;
  if (o.taskType) subset.taskType = o.taskType;
  if (o.ids) subset.ids = /[/\\.#]/.test(o.ids) ? readIdList(o.ids) : list(o.ids);
  if (o.sample !== undefined) subset.sample = { size: o.sample, seed: o.sampleSeed ?? 1 };
  if (o.limit !== undefined) subset.limit = o.limit;
  const defined = <T extends object>(x: T) => Object.fromEntries(Object.entries(x).filter(([, v]) => v !== undefined)) as Partial<T>;
  let repeatPenaltyWindow: number | 'all' | undefined;
  if (o.repeatWindow !== undefined) {
    if (o.repeatWindow !== 'all' && !/^\d+$/.test(o.repeatWindow)) throw new UsageError('--repeat-window must be a number of tokens or "all".');
    repeatPenaltyWindow = o.repeatWindow === 'all' ? 'all' : Number(o.repeatWindow);
  }
  return {
    promptFile: o.promptFile,
    promptLang: o.promptLang,
    systemPrompt: o.systemPrompt,
    chatTemplate: o.chatTemplate,
    template: o.template,
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

const methodOption = new Option('--method <method>', 'prompting method').choices(METHODS).makeOptionMandatory();
addRunOptions(
  runs
    .command('create')
    .description('plan a run (its items are frozen now); prints the run id last')
    .requiredOption('--model <id|path>', 'model id, or a GGUF path (added to the library if new)')
    .addOption(methodOption)
    .requiredOption('--dataset <id|name>', 'dataset id or name'),
).action(async (o: RunOpts & { model: string; method: MethodName; dataset: string }) => {
  const run = await wb().createRun({ ...runRequest(o), model: o.model, method: o.method, dataset: o.dataset });
  console.log(`planned "${run.name}": ${run.total} items`);
  printId(run.id);
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
  const { promptLang, ...request } = runRequest(o);
  const created = await wb().createBatch({
    ...request,
    promptLangs: promptLang ? [promptLang as Lang] : undefined,
    models: o.models ?? [],
    methods: (o.methods ?? []) as MethodName[],
    families: o.families,
    datasets: o.datasets,
  });
  for (const run of created) printId(run.id);
});

/** A signal that Ctrl-C (or SIGTERM) aborts with "pause": finished work is already stored, and a new start continues. */
function pauseOnInterrupt(): AbortSignal {
  const controller = new AbortController();
  const stop = () => controller.abort('pause');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return controller.signal;
}

const exitCodeOf = (status: RunStatus) => (status === 'done' ? EXIT.ok : status === 'paused' ? EXIT.interrupted : EXIT.failed);

async function runInForeground(runId: number): Promise<number> {
  const signal = pauseOnInterrupt();
  const status0 = wb().runStatus(runId).run;
  const reporter = createProgressReporter(status0.name, status0.total, status0.done);
  const status = await wb().startRun(runId, {
    signal,
    onProgress: (p: RunProgress) => reporter.update(p),
    onModelLoad: (f) => reporter.loading(f),
  });
  reporter.stop();
  const { run, finishReasons } = wb().runStatus(runId);
  console.log(`run ${run.id} ${status}: ${run.done}/${run.total} · ${formatReasons(finishReasons)}${run.error ? `\nerror: ${run.error}` : ''}`);
  if (status === 'paused') console.log(`resume with: runs resume ${run.id}`);
  return exitCodeOf(status);
}

runs.command('start <run-id>').description('run in the foreground until done (Ctrl-C pauses)').action(async (id: string) => {
  process.exitCode = await runInForeground(runIdOf(id));
});
runs
  .command('resume <run-id>')
  .description('continue a paused, interrupted or failed run with exactly its missing items (and retry failed items)')
  .action(async (id: string) => {
    process.exitCode = await runInForeground(runIdOf(id));
  });
runs.command('status <run-id>').description('show progress and configuration').action((id: string) => {
  const { run, finishReasons } = wb().runStatus(runIdOf(id));
  console.log(`run ${run.id} "${run.name}" · ${run.kind} · ${run.status}: ${run.done}/${run.total}`);
  console.log(`finish reasons: ${formatReasons(finishReasons)}`);
  if (run.error) console.log(`error: ${run.error}`);
  console.log(JSON.stringify({ config: run.config, method: run.method, environment: run.environment }, null, 2));
  console.log(run.status);
});
runs.command('list').description('list the runs').action(() => {
  for (const r of wb().store.runs.list()) console.log(`${r.id}\t${r.status}\t${r.done}/${r.total}\t${r.name}`);
});

// GENERATIONS

const generations = program.command('generations').description('outputs of runs');
generations
  .command('import <file>')
  .description('import outputs made elsewhere (Just-Eval format: id, instruction, output, generator, …) as a run; prints the run id last')
  .requiredOption('--lang <code>', 'language of the instructions')
  .option('--name <name>', 'run name (default: the file name)')
  .action(async (file: string, o: { lang: string; name?: string }) => {
    const run = await wb().importGenerations(file, o);
    console.log(`imported ${run.total} generations as run "${run.name}"`);
    printId(run.id);
  });
generations
  .command('export')
  .description('export a run\'s generations with how each was made')
  .requiredOption('--run <id>', 'run id', int('--run'))
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
  .option('--out <file>', 'write to a file instead of stdout')
  .action((o: { run: number; format: 'jsonl' | 'csv'; out?: string }) => {
    const text = formatExport(wb().exportGenerations(o.run), o.format);
    if (o.out) {
      writeFileSync(o.out, text);
      console.error(`wrote ${o.out}`);
    } else process.stdout.write(text);
  });

// ANNOTATIONS

const annotations = program.command('annotations').description('human critical-error annotations');
annotations
  .command('export')
  .description('export a run\'s current annotations, one row per generation × annotator')
  .requiredOption('--run <id>', 'run id', int('--run'))
  .addOption(new Option('--format <format>', 'output format').choices(['jsonl', 'csv']).default('jsonl'))
  .option('--out <file>', 'write to a file instead of stdout')
  .action((o: { run: number; format: 'jsonl' | 'csv'; out?: string }) => {
    const text = formatExport(wb().exportAnnotations(o.run), o.format);
    if (o.out) {
      writeFileSync(o.out, text);
      console.error(`wrote ${o.out}`);
    } else process.stdout.write(text);
  });

// JUDGING

const judges = program.command('judges').description('LLM judges: local GGUF models or OpenAI-compatible servers');
judges
  .command('add')
  .description('add a judge: --gguf <file> (a local model, added to the library if new) or --openai <base-url> --model <name>; prints the judge id last')
  .option('--gguf <file|model-id>', 'a local GGUF model (path or library id)')
  .option('--openai <base-url>', 'an OpenAI-compatible server (OpenAI, vLLM, llama.cpp server, Ollama), e.g. http://127.0.0.1:8000/v1')
  .option('--model <name>', 'with --openai: the model name the server serves')
  .option('--api-key-env <VAR>', 'with --openai: the environment variable holding the API key (read at each call, never stored)')
  .option('--name <name>', 'judge name (default: the model name)')
  .option('--concurrency <n>', 'with --openai: requests in flight at once (default: 4)', int('--concurrency'))
  .option('--timeout <ms>', 'with --openai: per-request timeout in milliseconds (default: 120000)', int('--timeout'))
  .option('--max-retries <n>', 'with --openai: retries on 429/5xx/timeouts (default: 4)', int('--max-retries'))
  .action(async (o: { gguf?: string; openai?: string; model?: string; apiKeyEnv?: string; name?: string; concurrency?: number; timeout?: number; maxRetries?: number }) => {
    if (Boolean(o.gguf) === Boolean(o.openai)) throw new UsageError('Give exactly one of --gguf <file> or --openai <base-url> --model <name>.');
    if (o.openai && !o.model) throw new UsageError('--openai needs --model <name>: the model the server serves.');
    if (o.gguf && (o.model || o.apiKeyEnv)) throw new UsageError('--model and --api-key-env go with --openai, not --gguf.');
    if (o.apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(o.apiKeyEnv)) throw new UsageError(`--api-key-env takes an environment variable name, got "${o.apiKeyEnv}".`);
    const judge = o.gguf
      ? await jd().addJudge({ kind: 'local', model: o.gguf, name: o.name })
      : await jd().addJudge({
          kind: 'openai', baseUrl: o.openai!, model: o.model!, name: o.name, apiKeyEnv: o.apiKeyEnv,
          concurrency: o.concurrency, timeoutMs: o.timeout, maxRetries: o.maxRetries,
        });
    console.log(`${judge.name} · ${judge.kind} · ${judge.identity}`);
    printId(judge.id);
  });
judges.command('list').description('list the judges').action(() => {
  for (const j of wb().store.judges.list()) console.log(`${j.id}\t${j.kind}\t${j.name}\t${j.identity}\tkey: ${j.apiKey.source === 'env' ? `$${j.apiKey.variable}` : j.apiKey.source}`);
});

program
  .command('judge')
  .description('judge the generations of runs (Just-Eval aspects; safety items on the safety rubric), cached per generation × judge × rubric version × judge language × repeat; prints the judge run id last (Ctrl-C pauses)')
  .requiredOption('--run <id,id…>', 'generation run ids', list)
  .requiredOption('--judge <id>', 'judge id (see "judges list")', int('--judge'))
  .option('--repeats <k>', 'judge each generation k times (seeds s, s+1, …) to measure judge variance (default: 1)', int('--repeats'))
  .addOption(new Option('--judge-lang <lang>', 'judge prompt in English or in the generation\'s language (default: en)').choices(JUDGE_LANGS))
  .option('--rubric <version>', 'aspects rubric version (default: the built-in one)')
  .option('--safety-rubric <version>', 'safety rubric version for category "safety" items (default: the built-in one)')
  .option('--temperature <t>', 'judge sampling temperature (default: 0)', num('--temperature'))
  .option('--seed <n>', 'judge seed; repeat r uses seed + r (default: 42)', int('--seed'))
  .option('--max-tokens <n>', 'maximum tokens of a judge reply (default: 1024)', int('--max-tokens'))
  .option('--name <name>', 'judge run name')
  .action(async (o: { run: string[]; judge: number; repeats?: number; judgeLang?: JudgeLangChoice; rubric?: string; safetyRubric?: string; temperature?: number; seed?: number; maxTokens?: number; name?: string }) => {
    if (o.repeats !== undefined && o.repeats < 1) throw new UsageError('--repeats must be at least 1.');
    const created = jd().createJudgeRun({
      runIds: o.run.map(runIdOf), judgeId: o.judge, repeats: o.repeats, judgeLang: o.judgeLang, rubricVersion: o.rubric,
      safetyRubricVersion: o.safetyRubric, temperature: o.temperature, seed: o.seed, maxTokens: o.maxTokens, name: o.name,
    });
    console.error(`judge run ${created.id} "${created.name}": ${created.total} judge calls planned`);
    const status = await jd().startJudgeRun(created.id, {
      signal: pauseOnInterrupt(),
      onProgress: createJudgeProgressReporter(created.total),
      onModelLoad: (f) => f === 1 && console.error('judge model loaded'),
    });
    const info = jd().judgeRunInfo(jd().judgeRun(created.id), null);
    console.log(`judge run ${info.id} ${status}: ${info.done}/${info.total} calls · N/A ${info.na}${info.error ? `\nerror: ${info.error}` : ''}`);
    if (status === 'paused') console.log('continue with the same command: calls already made are cached and not repeated');
    else if (info.unanswered > 0) console.log(`${info.unanswered} of the N/A got no reply (see the errors with "generations export"): the same command makes those calls again`);
    printId(info.id);
    process.exitCode = exitCodeOf(status);
  });

// RESULTS

const NA_CHOICES: NaPolicy[] = [...NA_POLICIES];
/** The run ids of --runs, each checked to exist (a typo must not silently shrink the table). */
const existingRuns = (ids: string[]): number[] =>
  ids.map((value) => {
    const id = runIdOf(value);
    if (!wb().store.runs.get(id)) throw new UsageError(`No run with id ${id}. List them with "runs list".`);
    return id;
  });
const writeOrPrint = (text: string, out: string | undefined) => {
  if (!out) return void process.stdout.write(text);
  writeFileSync(out, text);
  console.error(`wrote ${out}`);
};

program
  .command('results')
  .description('the aggregate table of judge scores (mean ± 95% bootstrap CI per group × aspect, N/A counts, judges and rubric in the footnote)')
  .requiredOption('--runs <id,id…>', 'generation run ids', list)
  .addOption(new Option('--format <format>', 'table format').choices(['csv', 'md', 'latex']).makeOptionMandatory())
  .option('--group-by <keys>', `rows: comma-separated ${RESULTS_GROUP_KEYS.join(', ')} (default: language,method,model)`, list)
  .addOption(new Option('--na <policy>', 'N/A judgements: leave out, or count as 5 (the reference code\'s convention; the table says so)').choices(NA_CHOICES).default('exclude'))
  .option('--out <file>', 'write to a file instead of stdout')
  .action((o: { runs: string[]; format: TableFormat; groupBy?: string[]; na: NaPolicy; out?: string }) => {
    const groupBy = (o.groupBy ?? ['language', 'method', 'model']) as ResultsGroupKey[];
    for (const key of groupBy)
      if (!(RESULTS_GROUP_KEYS as readonly string[]).includes(key)) throw new UsageError(`--group-by: unknown key "${key}" (known: ${RESULTS_GROUP_KEYS.join(', ')}).`);
    const { text } = resultsTable(wb().store, { filter: { runIds: existingRuns(o.runs), naPolicy: o.na }, groupBy, format: o.format });
    writeOrPrint(text, o.out);
  });

program
  .command('export-dpo')
  .description('DPO preference pairs (TRL DPOTrainer JSONL: prompt, chosen, rejected + metadata) per item and language across the runs; prints the pair count last')
  .requiredOption('--runs <id,id…>', 'generation run ids', list)
  .requiredOption('--out <file>', 'JSONL file to write')
  .addOption(new Option('--na <policy>', 'N/A judgements in the mean aspect score: leave out, or count as 5').choices(NA_CHOICES).default('exclude'))
  .action((o: { runs: string[]; out: string; na: NaPolicy }) => {
    const pairs = resultsDpoPairs(wb().store, { runIds: existingRuns(o.runs), naPolicy: o.na });
    writeFileSync(o.out, formatExport(pairs, 'jsonl'));
    console.error(`wrote ${o.out}`);
    printId(pairs.length);
  });

// SERVE

program
  .command('serve')
  .description('serve the workbench UI and API to a browser over loopback HTTP (for machines without a display or Electron); prints the URL to open')
  .option('--port <n>', 'port to listen on (default: a free port)', int('--port'))
  .option('--host <host>', 'interface to bind (default: 127.0.0.1; anything else exposes the workbench to the network)', '127.0.0.1')
  .action(async (o: { port?: number; host: string }) => {
    if (o.port !== undefined && (o.port < 0 || o.port > 65_535)) throw new UsageError('--port must be between 0 and 65535.');
    const api = createApi(wb(), { transport: 'http' });
    const staticDir = join(APP_ROOT, 'out', 'renderer');
    const hasUi = existsSync(join(staticDir, 'index.html'));
    if (!hasUi) console.error(`The workbench UI is not built (no ${staticDir}): run \`npm run build\` first, or start with \`npm run serve\`. Serving the API only.`);
    if (!isLoopbackHost(o.host)) {
      console.error(`warning: serving on ${o.host}: anyone on the network who has the token can reach the workbench (its data, and running models on this machine). Traffic is plain HTTP.`);
    }
    // The token is the only secret between the browser tab and the store: new for every start.
    const token = randomBytes(24).toString('base64url');
    const server = await startHttpServer({ api, host: o.host, port: o.port ?? 0, token, staticDir: hasUi ? staticDir : undefined });
    // The URL alone on its own stdout line: scripts and tests read it (README "CLI contract").
    console.log(`${server.url}?token=${token}`);
    console.error('Open that URL in a browser. Ctrl-C stops serving (running work is paused and can be resumed).');
    await new Promise<void>((resolveStop) => {
      process.once('SIGINT', () => resolveStop());
      process.once('SIGTERM', () => resolveStop());
    });
    console.error('stopping: pausing running work…');
    await api.shutdown();
    await server.close();
  });

// DETECTORS

program
  .command('detect')
  .description('run the critical-error detectors (loop, code, language) on a run\'s generations; prints the findings count last')
  .requiredOption('--run <id>', 'run id', int('--run'))
  .option('--all', 're-run on every generation, not only those without results from the current detector versions')
  .action(async (o: { run: number; all?: boolean }) => {
    const w = wb();
    const { generations, findings } = await w.detectRun(o.run, { all: o.all });
    const byLabel = new Map<string, number>();
    for (const row of w.exportGenerations(o.run)) for (const f of row.findings) byLabel.set(f.label, (byLabel.get(f.label) ?? 0) + 1);
    console.log(`checked ${generations} generations · ${[...byLabel].map(([l, n]) => `${l} ${n}`).join(', ') || 'no findings'}`);
    printId(findings);
  });

// DEMO

program
  .command('demo')
  .description('the whole loop on the built-in EN/FR/ES sample: zero-shot and URIAL runs, then one item side by side')
  .option('--model <file>', 'a GGUF base model (default: ../shared/models/stories260K.gguf when present)')
  .option('--max-tokens <n>', 'new tokens per item', int('--max-tokens'), 64)
  .action(async (o: { model?: string; maxTokens: number }) => {
    const modelPath = o.model ?? join(APP_ROOT, '..', 'shared', 'models', 'stories260K.gguf');
    if (!existsSync(modelPath)) throw new UsageError(`No model at ${modelPath}. Pass one: npm run demo -- --model <file.gguf>`);
    const w = wb();
    const model = await w.resolveModel(modelPath);
    const langs = SAMPLE_LANGS;
    await ensureSampleDatasets(w);
    const methods: MethodName[] = w.options.urialOfficialDir ? ['zero-shot', 'urial'] : ['zero-shot'];
    if (!w.options.urialOfficialDir) console.log('(URIAL skipped for English: set ALIGN_URIAL_DIR to the official URIAL prompt folder)');
    const created = [];
    for (const lang of langs)
      for (const method of methods)
        // The first 12 items (10 regular, 2 safety) keep the demo under a minute on the tiny model.
        created.push(await w.createRun({ model: String(model.id), method, dataset: sampleDatasetName(lang), subset: { limit: 12 }, sampler: { maxTokens: o.maxTokens } }));
    for (const run of created) {
      const code = await runInForeground(run.id);
      if (code !== EXIT.ok) return void (process.exitCode = code);
    }
    console.log('\nItem 1 side by side:');
    for (const run of created) {
      const row = w.exportGenerations(run.id).find((r) => r.item_id === '1');
      console.log(`\n[${run.name}]\n> ${row?.instruction}\n${(row?.output ?? '').slice(0, 300)}`);
    }
    console.log(`\nExport one: npm run -s cli -- generations export --run ${created[0]!.id} --format csv --out run.csv`);
  });

// HELPERS

/**
 * Prints a number alone on its line (ids, counts: the last line of many commands is a contract). Not console.log:
 * it colours numbers when FORCE_COLOR is set, and outside scripts would read escape codes.
 */
function printId(n: number): void {
  process.stdout.write(`${n}\n`);
}

function formatParams(n: number | null): string {
  if (n == null) return '? params';
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B params`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)}M params`;
  return `${(n / 1e3).toFixed(0)}K params`;
}

function formatReasons(reasons: Record<string, number>): string {
  const parts = Object.entries(reasons).map(([k, v]) => `${k} ${v}`);
  return parts.length > 0 ? parts.join(', ') : 'no generations';
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // Help and version are not errors; commander already printed usage problems.
    process.exitCode = err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  } else if (err instanceof UsageError) {
    console.error(`error: ${err.message}`);
    process.exitCode = EXIT.usage;
  } else {
    console.error(`error: ${err instanceof Error ? err.message : String(err)}`);
    process.exitCode = EXIT.failed;
  }
} finally {
  await workbench?.close();
}

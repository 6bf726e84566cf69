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
import { LOOP_STOP_SENSITIVITIES, METHODS, type LoopStopConfig, type MethodName, type RunProgress, type Subset } from '../shared/domain';
import { readIdList } from './core/datasets';
import { Workbench } from './api/Workbench';
import { createApi } from './api/createApi';
import { formatExport } from './api/formatExport';
import { APP_ROOT, defaultDataDir, RESOURCES_DIR, urialOfficialDir } from './paths';
import { createProgressReporter } from './cliProgress';
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

// MODELS

const models = program.command('models').description('the model library');
models
  .command('add <file>')
  .description('check a GGUF file (header, metadata, completeness) and add it; prints the model id last')
  .action(async (file: string) => {
    const m = await wb().addModel(file);
    console.log(`${m.name} · ${m.architecture ?? '?'} · ${formatParams(m.parameterCount)} · ${m.quantization ?? '?'} · ctx ${m.trainContextSize ?? '?'}`);
    console.log(`chat template: ${m.chatTemplate ? 'yes' : 'none'} · runnable: ${m.runnable ? 'yes' : 'no (vocab only)'} · sha256 ${m.sha256}`);
    console.log(m.id);
  });
models
  .command('list')
  .description('list the models')
  .action(() => {
    for (const m of wb().store.models.list())
      console.log(`${m.id}\t${m.name}\t${m.architecture ?? '?'}\t${formatParams(m.parameterCount)}\t${m.quantization ?? '?'}\t${m.path}`);
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
    console.log(d.id);
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
    .addOption(new Option('--gpu <mode>', 'GPU offload').choices(['auto', 'cpu']))
    .option('--name <name>', 'run name');
}

interface RunOpts {
  promptFile?: string; promptLang?: string; systemPrompt?: string; chatTemplate?: string; template?: string;
  limit?: number; category?: string; taskType?: string; ids?: string; sample?: number; sampleSeed?: number;
  maxTokens?: number; seed?: number; temperature?: number; topP?: number; topK?: number; minP?: number;
  repeatPenalty?: number; repeatWindow?: string; loopStop?: boolean; loopStopSensitivity?: LoopStopConfig['sensitivity']; threads?: number; parallel?: number; contextSize?: number;
  gpu?: 'auto' | 'cpu'; name?: string;
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
  console.log(run.id);
});
addRunOptions(
  runs
    .command('batch')
    .description('plan the cross product models × methods × datasets; prints one run id per line')
    .requiredOption('--models <list>', 'comma-separated model ids or paths', list)
    .requiredOption('--methods <list>', `comma-separated methods (${METHODS.join(', ')})`, list)
    .requiredOption('--datasets <list>', 'comma-separated dataset ids or names', list),
).action(async (o: RunOpts & { models: string[]; methods: string[]; datasets: string[] }) => {
  const bad = o.methods.filter((m) => !(METHODS as readonly string[]).includes(m));
  if (bad.length > 0) throw new UsageError(`Unknown method(s) ${bad.join(', ')}: use ${METHODS.join(', ')}.`);
  const created = await wb().createBatch({ ...runRequest(o), models: o.models, methods: o.methods as MethodName[], datasets: o.datasets });
  for (const run of created) console.log(run.id);
});

async function runInForeground(runId: number): Promise<number> {
  const controller = new AbortController();
  // Ctrl-C pauses: finished generations are already stored, and "runs resume" continues.
  const stop = () => controller.abort('pause');
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const status0 = wb().runStatus(runId).run;
  const reporter = createProgressReporter(status0.name, status0.total, status0.done);
  const status = await wb().startRun(runId, {
    signal: controller.signal,
    onProgress: (p: RunProgress) => reporter.update(p),
    onModelLoad: (f) => reporter.loading(f),
  });
  reporter.stop();
  const { run, finishReasons } = wb().runStatus(runId);
  console.log(`run ${run.id} ${status}: ${run.done}/${run.total} · ${formatReasons(finishReasons)}${run.error ? `\nerror: ${run.error}` : ''}`);
  if (status === 'paused') console.log(`resume with: runs resume ${run.id}`);
  return status === 'done' ? EXIT.ok : status === 'paused' ? EXIT.interrupted : EXIT.failed;
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
    console.log(run.id);
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
    console.log(findings);
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
    const langs = ['en', 'fr', 'es'];
    for (const [i, lang] of langs.entries()) {
      const name = `sample-${lang}`;
      if (!w.store.datasets.byName(name))
        await w.importDataset(join(RESOURCES_DIR, 'datasets', `sample.${lang}.jsonl`), {
          lang,
          name,
          parallelWith: i > 0 ? 'sample-en' : undefined,
        });
    }
    const methods: MethodName[] = w.options.urialOfficialDir ? ['zero-shot', 'urial'] : ['zero-shot'];
    if (!w.options.urialOfficialDir) console.log('(URIAL skipped for English: set ALIGN_URIAL_DIR to the official URIAL prompt folder)');
    const created = [];
    for (const lang of langs)
      for (const method of methods)
        created.push(await w.createRun({ model: String(model.id), method, dataset: `sample-${lang}`, sampler: { maxTokens: o.maxTokens } }));
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

/**
 * Shared helpers of the benchmarks: paths of the test assets (read from ../shared, never copied), a temporary
 * Services per benchmark, a bare node-llama-cpp runtime, timing of queue runs, and formatting.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';
import type { Item, RunStatus } from '../src/shared/domain';
import { createServices, type Services } from '../src/main/services/createServices';
import type { CreateRunRequest } from '../src/main/services/runs/expandBatch';
import { selectSubset } from '../src/main/core/datasets';
import type { GenerationRecord } from '../src/main/store/GenerationRepo';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
export const SHARED_DIR = resolve(REPO_ROOT, '..', 'shared');
export const MODEL_PATH = join(SHARED_DIR, 'models', 'stories260K.gguf');
export const DATASET_PATH = join(SHARED_DIR, 'data', 'just_eval', 'just_eval_instruct_en.jsonl');
export const URIAL_DIR = join(SHARED_DIR, 'data', 'urial_prompts');
export const URIAL_FILE = join(URIAL_DIR, 'inst_1k_v4.txt');
export const RESOURCES_DIR = join(REPO_ROOT, 'resources');

export interface BenchOptions {
  /** Items per arm. */
  items: number;
  /** New tokens per item (sampler maxTokens). */
  maxTokens: number;
  /** CPU threads, passed explicitly everywhere (DESIGN §3). */
  threads: number;
  /** P2 only: items of the naive arm (≈11 s/item at 1 thread on stories260K). */
  naiveItems: number;
  /** P1: interleaved repetitions of each arm (each arm alone takes about a second). P6: constrained/unconstrained pairs. */
  reps: number;
  /** P2/P3: context size per sequence; the URIAL prompt is ~3.4k tokens with stories260K's tokenizer. */
  urialContextSize: number;
  /** P3: parallel sequences of the parallel arm. */
  parallel: number;
}

/** One benchmark's verdict, plus the lines it printed (kept for the summary). */
export interface BenchResult {
  id: 'P1' | 'P2' | 'P3' | 'P4' | 'P4D' | 'P4R' | 'P5' | 'P5A' | 'P5V' | 'P6';
  /** What the headline figure is, e.g. "queue/bare items-per-min ratio". */
  metric: string;
  value: number;
  /** How the value is rendered ("0.98", "1.9×", "31.2 tok"). */
  shown: string;
  target: string;
  pass: boolean;
  /** Absolute figures for context (one short line for the summary table). */
  context: string;
  /** Hard failures (wrong generation count, failed run…): they fail the benchmark whatever the ratio. */
  problems: string[];
}

/** A Services on a fresh temp data dir, with stories260K and Just-Eval (en) added; removed afterwards. */
export async function withBenchServices<T>(
  label: string,
  fn: (ctx: { workbench: Services; modelId: number; datasetId: number }) => Promise<T>,
  options: { detectOnGenerate?: boolean } = {},
): Promise<T> {
  const dataDir = await mkdtemp(join(tmpdir(), `align-bench-${label}-`));
  const workbench = createServices({ dataDir, resourcesDir: RESOURCES_DIR, urialOfficialDir: URIAL_DIR, ...options });
  try {
    const model = await workbench.library.addHashed(MODEL_PATH);
    const dataset = await workbench.datasets.import(DATASET_PATH, { lang: 'en', name: 'just-eval-en' });
    return await fn({ workbench, modelId: model.id, datasetId: dataset.id });
  } finally {
    await workbench.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The items a `{limit: n}` run selects, exactly as RunsService.create selects them. */
export function firstItems(workbench: Services, datasetId: number, n: number): Item[] {
  return selectSubset(workbench.store.datasets.items(datasetId), { limit: n }).items;
}

export interface TimedRun {
  runId: number;
  status: RunStatus;
  /** runs.execute() from call to return. */
  wallMs: number;
  /**
   * Time before the first generate() started: model acquisition (warm: ~0), context (re)creation, prefix
   * priming. Derived as (time of the first progress event) − (wallMs of the first stored generation).
   */
  setupMs: number;
  generations: GenerationRecord[];
  environment: Record<string, string>;
}

/** runs.create + runs.execute, timed. Greedy sampling; backend on CPU with explicit threads. */
export async function timedQueueRun(
  workbench: Services,
  request: Omit<CreateRunRequest, 'sampler' | 'backend'> & {
    maxTokens: number;
    threads: number;
    parallel: number;
    contextSize: number | 'auto';
  },
): Promise<TimedRun> {
  const { maxTokens, threads, parallel, contextSize, ...rest } = request;
  const run = await workbench.runs.create({
    ...rest,
    sampler: { maxTokens, temperature: 0 },
    backend: { threads, gpu: 'cpu', parallel, contextSize },
  });
  let setupMs = 0;
  const started = performance.now();
  const status = await workbench.runs.execute(run.id, {
    onProgress: (p) => {
      if (setupMs !== 0 || p.status !== 'running' || p.done !== 1) return;
      // The first progress event fires synchronously right after the first generation is saved, so exactly one
      // row exists: its generate() started `wallMs` before now. With parallel sequences every worker starts its
      // first item at the same moment, so this is the end of the setup.
      const first = workbench.store.generations.forRun(run.id)[0];
      if (first) setupMs = Math.max(0, performance.now() - started - first.wallMs);
    },
  });
  const wallMs = performance.now() - started;
  const generations = workbench.store.generations.forRun(run.id);
  const stored = workbench.store.runs.get(run.id);
  return { runId: run.id, status, wallMs, setupMs, generations, environment: stored?.environment ?? {} };
}

let bareLlama: Promise<Llama> | null = null;
/** A plain node-llama-cpp runtime, as a script would get it (prebuilt binaries, CPU only). */
export function getBareLlama(): Promise<Llama> {
  bareLlama ??= getLlama({ build: 'never', gpu: false, logLevel: LlamaLogLevel.error, progressLogs: false });
  return bareLlama;
}

/** CPU time of this process (user + system) since `since`: much less sensitive to other processes' load than wall time. */
export function cpuMsSince(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return (d.user + d.system) / 1000;
}

export function mean(values: number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / values.length;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export const itemsPerMin = (items: number, ms: number): number => (ms > 0 ? (items * 60_000) / ms : Number.NaN);

export const f = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : String(n));

export const verdict = (pass: boolean): string => (pass ? 'PASS' : 'FAIL');

/** Prints a benchmark's line with its id prefix. */
export function say(id: string, text: string): void {
  console.log(`${id} ${text}`);
}

import type { JudgeRunProgress } from '../../../shared/judgeRuns';
import type { RunStatus } from '../../../shared/domain';
import { judgeCallKey } from '../../../shared/judgeCalls';
import type { RubricInfo } from '../../../shared/judging';
import { EtaEstimator } from '../../../shared/eta';
import type { Judge, JudgeReply } from './Judge';
import { judgeProtocol, type JudgeProtocol } from './judgeProtocol';
import type { JudgeRunStorePort } from './JudgeRunStorePort';
import { loadJustEvalTemplates, type JustEvalTemplates } from './justEval/justEvalTemplates';
import { planJudgeCalls, type PlannedCall } from './planJudgeRun';

export interface ExecuteJudgeRunOptions {
  store: JudgeRunStorePort;
  /**
   * Opens the run's judge: a local model through the shared BackendPool (one model in memory at a time) or an
   * OpenAI-compatible endpoint. Called only when some call is not cached, so a fully cached run loads nothing.
   */
  openJudge: (onModelLoad: (fraction: number) => void) => Promise<{ judge: Judge; concurrency: number }>;
  /** Abort with reason "pause" (resumable) or "cancel". */
  signal?: AbortSignal;
  onProgress?: (progress: JudgeRunProgress) => void;
  onModelLoad?: (fraction: number) => void;
  /**
   * The reference-files folder holding just-eval's official templates: needed only by the original Just-Eval
   * rubrics (read when the run starts, never stored as a copy). A function is called only when such a rubric is
   * used, and what it throws (e.g. "not found, set it so") becomes the run's error.
   */
  referenceDir?: string | (() => string);
}

/**
 * Judges every generation of the judge run's generation runs, `repeats` times each, skipping every call the
 * cache already holds (same generation, judge identity, rubric version, resolved judge language and repeat)
 * except those that got no reply.
 * Each call is committed as it finishes, so a pause, crash or cancel loses at most the calls in flight and a
 * new start continues with exactly the missing ones. A reply that does not parse, or no reply at all, is stored
 * as N/A with the raw reply and the reason: never as a score. Returns the final status; failures to start become
 * the run's status and error.
 */
export async function executeJudgeRun(judgeRunId: number, options: ExecuteJudgeRunOptions): Promise<RunStatus> {
  const { store, signal } = options;
  const run = store.getJudgeRun(judgeRunId);
  if (!run) throw new Error(`Judge run ${judgeRunId} does not exist.`);
  const { config } = run;

  let plan: PlannedCall[];
  try {
    plan = planJudgeCalls(config, store.targets(config.runIds), {
      aspects: rubricOf(store, config.rubricVersion),
      safety: rubricOf(store, config.safetyRubricVersion),
    });
  } catch (err) {
    return fail(store, judgeRunId, err);
  }
  let protocols: Map<string, JudgeProtocol>;
  try {
    protocols = protocolsOf(plan, options.referenceDir);
  } catch (err) {
    return fail(store, judgeRunId, err);
  }
  // The generation runs may have grown since the judge run was created: judge what is there now.
  store.setTotal(judgeRunId, plan.length);
  const existing = store.existingCalls(run.judgeIdentity, config.runIds);
  // A call that got no reply (the server was down…) is made again: its N/A is not the judge's verdict.
  const stored = (c: PlannedCall) => existing.get(judgeCallKey(keyOf(c)));
  const todo = plan.filter((c) => !stored(c) || stored(c)!.unanswered);
  const cachedNa = plan.filter((c) => stored(c)?.na && !stored(c)!.unanswered).length;
  const progress = new JudgeProgressMeter(judgeRunId, plan.length, plan.length - todo.length, cachedNa);
  if (todo.length === 0) {
    store.setStatus(judgeRunId, 'done');
    options.onProgress?.(progress.snapshot('done'));
    return 'done';
  }
  store.setStatus(judgeRunId, 'running');

  let opened: { judge: Judge; concurrency: number } | undefined;
  try {
    opened = await options.openJudge(options.onModelLoad ?? (() => {}));
    store.recordEnvironment(judgeRunId, { ...opened.judge.versions(), ...fallbackNote(plan) });
  } catch (err) {
    // An opened local judge holds the model slot: hand it back, or the next model would wait for it forever.
    await opened?.judge.dispose();
    return fail(store, judgeRunId, err);
  }
  const { judge } = opened;

  let next = 0;
  const worker = async (): Promise<void> => {
    while (!signal?.aborted && next < todo.length) {
      const call = todo[next++]!;
      const protocol = protocols.get(call.rubric.version)!;
      const prompt = protocol.prompt(call.target, call.judgeLang);
      const reply = await completeSafely(judge, {
        ...prompt,
        schema: protocol.schema,
        temperature: config.temperature,
        seed: call.seed,
        maxTokens: config.maxTokens,
        signal,
      });
      // A call cut by a pause is dropped, not stored as N/A: resume makes it again.
      if (signal?.aborted) return;
      const { scores, error } = protocol.verdict(reply);
      store.saveCall(
        {
          ...keyOf(call),
          judgeRunId,
          judge: run.judgeIdentity,
          prompt,
          raw: reply.raw,
          error,
          seed: call.seed,
          temperature: config.temperature,
          attempts: reply.attempts,
          wallMs: reply.wallMs,
          environment: {
            ...judge.versions(),
            ...reply.environment,
            ...protocol.environment,
            ...(call.fallbackFrom ? { judgeLangFallback: `${call.fallbackFrom}→en (rubric ${call.rubric.version} has no ${call.fallbackFrom} prompt)` } : {}),
          },
        },
        scores,
      );
      options.onProgress?.(progress.add(scores.some((s) => s.score === null)));
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(opened.concurrency, todo.length)) }, worker));
  } finally {
    // A pooled local model stays loaded (the pool owns it); a remote client is let go.
    await judge.dispose();
  }

  // The queue aborts with "pause" (resumable) or "cancel", as for generation runs.
  const status: RunStatus = signal?.aborted ? (signal.reason === 'cancel' ? 'cancelled' : 'paused') : 'done';
  store.setStatus(judgeRunId, status);
  options.onProgress?.(progress.snapshot(status));
  return status;
}

/** One protocol per rubric of the plan; the official templates are read once, and only if a rubric needs them. */
function protocolsOf(plan: readonly PlannedCall[], referenceDir: ExecuteJudgeRunOptions['referenceDir']): Map<string, JudgeProtocol> {
  let templates: JustEvalTemplates | undefined;
  const load = (): JustEvalTemplates => {
    if (!referenceDir) throw new Error('The original Just-Eval rubric reads the official template files: set the reference-files folder first.');
    return (templates ??= loadJustEvalTemplates(typeof referenceDir === 'function' ? referenceDir() : referenceDir));
  };
  const protocols = new Map<string, JudgeProtocol>();
  for (const c of plan) if (!protocols.has(c.rubric.version)) protocols.set(c.rubric.version, judgeProtocol(c.rubric, load));
  return protocols;
}

/** Judges promise not to throw for a per-call failure; if one does anyway, it is that call's N/A, not the run's end. */
async function completeSafely(judge: Judge, request: Parameters<Judge['complete']>[0]): Promise<JudgeReply> {
  const started = performance.now();
  try {
    return await judge.complete(request);
  } catch (err) {
    return { raw: '', error: err instanceof Error ? err.message : String(err), attempts: 1, wallMs: performance.now() - started };
  }
}

function rubricOf(store: JudgeRunStorePort, version: string): RubricInfo {
  const rubric = store.rubric(version);
  if (!rubric) throw new Error(`Rubric "${version}" is not in the store. List the rubrics with rubrics.list.`);
  return rubric;
}

function keyOf(c: PlannedCall) {
  return { generationId: c.target.generationId, rubricVersion: c.rubric.version, judgeLang: c.judgeLang, repeat: c.repeat };
}

/** Recorded on the run when "target" fell back to English for some language: which, and why. */
function fallbackNote(plan: readonly PlannedCall[]): Record<string, string> {
  const fallbacks = [...new Set(plan.flatMap((c) => (c.fallbackFrom ? [`${c.fallbackFrom} (${c.rubric.version})`] : [])))];
  return fallbacks.length > 0 ? { judgeLangFallbackToEnglish: fallbacks.join(', ') } : {};
}

function fail(store: JudgeRunStorePort, judgeRunId: number, err: unknown): RunStatus {
  store.setStatus(judgeRunId, 'failed', err instanceof Error ? err.message : String(err));
  return 'failed';
}

/** done counts cached calls too; the ETA comes from the recent pace of the calls made in this session. */
class JudgeProgressMeter {
  #madeHere = 0;
  #eta = new EtaEstimator();

  constructor(
    readonly judgeRunId: number,
    readonly total: number,
    readonly cached: number,
    private na: number,
  ) {}

  get done(): number {
    return this.cached + this.#madeHere;
  }

  add(na: boolean): JudgeRunProgress {
    this.#madeHere++;
    this.#eta.itemDone();
    if (na) this.na++;
    return this.snapshot('running');
  }

  snapshot(status: RunStatus): JudgeRunProgress {
    return {
      judgeRunId: this.judgeRunId,
      done: this.done,
      total: this.total,
      na: this.na,
      cached: this.cached,
      etaSeconds: this.#eta.etaSeconds(this.total - this.done),
      status,
    };
  }
}

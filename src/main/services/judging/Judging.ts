import type { JudgeAddRequest, JudgeRunCreateRequest, JudgeRunInfo, JudgeRunProgress, JudgeTestResult } from '../../../shared/api';
import type { RunStatus } from '../../../shared/domain';
import { judgeCallKey } from '../../../shared/judgeCalls';
import { JUST_EVAL_ORIGINAL, JUST_EVAL_ORIGINAL_MULTI, JUST_EVAL_ORIGINAL_SAFETY } from '../../../shared/rubricSources';
import type { JudgeInfo, JudgeRunConfig, RubricInfo } from '../../../shared/judging';
import { apiKeyFrom, connectRemoteModel, isRemoteModelPath, normalizeBaseUrl } from '../../core/inference/openai';
import {
  BackendJudge,
  BUILTIN_RUBRICS,
  buildJudgePrompt,
  DEFAULT_JUDGE_MAX_TOKENS,
  executeJudgeRun,
  JUST_EVAL_MAX_TOKENS,
  JUST_EVAL_TEMPERATURE,
  loadJustEvalTemplates,
  parseVerdict,
  planJudgeCalls,
  verdictSchema,
  type Judge,
} from '../../core/judge';
import type { JudgeRunRecord } from '../../store/JudgeRunRepo';
import type { BackendPool } from '../../core/runs/BackendPool';
import type { Store } from '../../store/openStore';
import { processEnvironment } from '../environment';
import { InputError, NotFoundError } from '../errors';
import type { ModelLibrary } from '../models/ModelLibrary';
import { judgeRunStorePort } from './judgeRunStorePort';

/**
 * Encrypts API keys with the OS keychain (Electron safeStorage in the desktop app). The CLI and serve mode have
 * none: there, keys come from environment variables named by the judge, read at call time.
 */
export interface SecretsPort {
  encrypt(text: string): string;
  decrypt(blob: string): string;
}

/** Judge-run defaults: the reference setting (English prompt, temperature 0, one judgement per generation). */
export const JUDGE_RUN_DEFAULTS = { judgeLang: 'en', repeats: 1, temperature: 0, seed: 42, maxTokens: DEFAULT_JUDGE_MAX_TOKENS } as const;

/** Remote judge defaults (also the columns' defaults in migration 0006). */
const REMOTE_DEFAULTS = { concurrency: 4, timeoutMs: 120_000, maxRetries: 4 } as const;

/** What a judge must see: an edited rubric without these placeholders is refused. */
const REQUIRED_PLACEHOLDERS = ['{instruction}', '{output}'] as const;

/** A pair every judge can score: used by judges.test. */
const TEST_ITEM = { instruction: 'Name one primary colour.', output: 'Red is a primary colour.', lang: 'en' };

/** The repositories judging reads and writes. */
export type JudgingStore = Pick<Store, 'judges' | 'judgeRuns' | 'judgements' | 'rubrics' | 'models' | 'runs'>;

export interface JudgingDeps {
  store: JudgingStore;
  library: ModelLibrary;
  /** The one model slot: a local judge loads where generation runs load, so two models never sit in memory together. */
  pool: BackendPool;
  /** The OS keychain (desktop app only). */
  secrets?: SecretsPort;
  /** The folder of the official Just-Eval templates (the original judge's rubrics), or an error saying how to set it. */
  justEvalTemplatesDir: () => string;
}

/** The judging use cases: judges, rubrics, judge runs. */
export class Judging {
  readonly #store: JudgingStore;
  readonly #library: ModelLibrary;
  readonly #pool: BackendPool;
  readonly #justEvalTemplatesDir: () => string;
  private readonly secrets?: SecretsPort;

  constructor(deps: JudgingDeps) {
    this.#store = deps.store;
    this.#library = deps.library;
    this.#pool = deps.pool;
    this.secrets = deps.secrets;
    this.#justEvalTemplatesDir = deps.justEvalTemplatesDir;
    this.#store.rubrics.seed(BUILTIN_RUBRICS);
  }

  // JUDGES

  async addJudge(request: JudgeAddRequest): Promise<JudgeInfo> {
    if (request.kind === 'local') {
      const model = await this.#library.resolve(request.model);
      if (isRemoteModelPath(model.path)) throw new InputError(`Model ${model.id} is served remotely (${model.path}): add it as a judge with --openai <base-url> --model <name>.`);
      if (!model.runnable) throw new InputError(`Model ${model.id} (${model.path}) is vocab-only: it cannot judge.`);
      return this.#store.judges.upsert({
        name: request.name ?? model.name,
        kind: 'local',
        identity: `gguf:${model.sha256}`,
        modelId: model.id,
        baseUrl: null,
        model: null,
        apiKey: { source: 'none' },
        concurrency: 1,
        timeoutMs: REMOTE_DEFAULTS.timeoutMs,
        maxRetries: 0,
      });
    }
    if (request.apiKey && request.apiKeyEnv) throw new InputError('Give the API key either directly (apiKey) or as an environment variable name (apiKeyEnv), not both.');
    if (request.apiKey && !this.secrets)
      throw new InputError(
        'API keys can only be stored encrypted, with the desktop app\'s OS keychain, which this mode does not have. Put the key in an environment variable and give its name instead (apiKeyEnv, or --api-key-env on the command line).',
      );
    const baseUrl = normalizeBaseUrl(request.baseUrl);
    const apiKey: JudgeInfo['apiKey'] = request.apiKey ? { source: 'encrypted' } : request.apiKeyEnv ? { source: 'env', variable: request.apiKeyEnv } : { source: 'none' };
    return this.#store.judges.upsert({
      name: request.name ?? `${request.model} @ ${new URL(baseUrl).host}`,
      kind: 'openai',
      identity: `openai:${baseUrl}#${request.model}`,
      modelId: null,
      baseUrl,
      model: request.model,
      apiKey,
      apiKeyEncrypted: request.apiKey ? this.secrets!.encrypt(request.apiKey) : null,
      concurrency: request.concurrency ?? REMOTE_DEFAULTS.concurrency,
      timeoutMs: request.timeoutMs ?? REMOTE_DEFAULTS.timeoutMs,
      maxRetries: request.maxRetries ?? REMOTE_DEFAULTS.maxRetries,
    });
  }

  judge(judgeId: number): JudgeInfo {
    const judge = this.#store.judges.get(judgeId);
    if (!judge) throw new NotFoundError(`No judge with id ${judgeId}. List them with "judges list".`);
    return judge;
  }

  /** Sends a tiny judge prompt and says whether a parseable verdict came back, with the latency and the raw reply. */
  async testJudge(judgeId: number): Promise<JudgeTestResult> {
    const info = this.judge(judgeId);
    const rubric = this.#defaultRubric('aspects');
    const started = performance.now();
    let opened: Judge;
    try {
      opened = (await this.openJudge(info, () => {})).judge;
    } catch (err) {
      return { ok: false, message: `Could not open judge "${info.name}": ${errorText(err)}`, latencyMs: performance.now() - started, reply: null };
    }
    try {
      const { prompt } = buildJudgePrompt(rubric, 'en', TEST_ITEM);
      const reply = await opened.complete({ ...prompt, schema: verdictSchema(rubric), temperature: 0, seed: JUDGE_RUN_DEFAULTS.seed, maxTokens: JUDGE_RUN_DEFAULTS.maxTokens });
      if (reply.error) return { ok: false, message: `The judge did not answer: ${reply.error}`, latencyMs: reply.wallMs, reply: reply.raw || null };
      const parsed = parseVerdict(reply.raw, rubric);
      return parsed.error === null
        ? { ok: true, message: `"${info.name}" answered with a complete verdict (${rubric.aspects.length} aspects).`, latencyMs: reply.wallMs, reply: reply.raw }
        : { ok: false, message: `"${info.name}" answered, but its reply is not a usable verdict (it would be stored as N/A): ${parsed.error}`, latencyMs: reply.wallMs, reply: reply.raw };
    } finally {
      await opened.dispose();
    }
  }

  /**
   * The judge ready to answer: a local model loaded through the pool (the slot generation uses, so two models
   * never sit in memory together), or a client for an OpenAI-compatible server.
   */
  async openJudge(info: JudgeInfo, onModelLoad: (fraction: number) => void): Promise<{ judge: Judge; concurrency: number }> {
    if (info.kind === 'local') {
      const model = info.modelId != null ? this.#store.models.get(info.modelId) : undefined;
      if (!model) throw new NotFoundError(`Judge "${info.name}": its model is not in the library any more. Add the judge again with "judges add --gguf".`);
      const lease = await this.#pool.acquire({ modelPath: model.path, gpu: 'auto', threads: await this.#library.threadsFor(model) }, onModelLoad);
      return { judge: new BackendJudge(lease.backend, { identity: info.identity, prompt: model.chatTemplate ? 'chat' : 'completion', release: lease.release }), concurrency: 1 };
    }
    const backend = await connectRemoteModel(
      { baseUrl: info.baseUrl!, model: info.model!, endpoint: 'chat' },
      { apiKey: this.#apiKeyOf(info), concurrency: info.concurrency, timeoutMs: info.timeoutMs, maxRetries: info.maxRetries },
    );
    return {
      judge: new BackendJudge(backend, { identity: info.identity, prompt: 'chat', release: () => backend.dispose(), parallel: info.concurrency }),
      concurrency: info.concurrency,
    };
  }

  // RUBRICS

  rubric(version: string): RubricInfo {
    const rubric = this.#store.rubrics.get(version);
    if (!rubric) throw new NotFoundError(`No rubric with version "${version}". List them with rubrics.list.`);
    return rubric;
  }

  /** Saves an edited copy of a rubric as a new version; every prompt must keep the placeholders of what is judged. */
  saveRubric(from: string, edit: { name?: string; prompts: Record<string, { system: string; user: string }> }): RubricInfo {
    for (const [lang, prompt] of Object.entries(edit.prompts)) {
      const missing = REQUIRED_PLACEHOLDERS.filter((p) => !prompt.user.includes(p) && !prompt.system.includes(p));
      if (missing.length > 0) throw new InputError(`Rubric prompt "${lang}" lacks ${missing.join(' and ')}: without it the judge would not see what it judges.`);
    }
    return this.#store.rubrics.saveCopy(from, edit);
  }

  // JUDGE RUNS

  /**
   * A judge run for these settings: an unfinished one with the same judge and config if there is one (an
   * interrupted run resumes; one running in another process is then refused at start, never run twice), else a
   * new one.
   */
  createJudgeRun(request: JudgeRunCreateRequest): JudgeRunRecord {
    const judge = this.judge(request.judgeId);
    for (const runId of request.runIds) if (!this.#store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    const rubrics = originalRubrics(request);
    const aspects = this.#rubricOfKind(rubrics.rubricVersion, 'aspects');
    const safety = this.#rubricOfKind(rubrics.safetyRubricVersion, 'safety');
    const original = [aspects, safety].some((r) => r.promptSource === 'just-eval-official');
    // Refused now rather than failing at start: the official files are read from the reference-files folder.
    if (original) loadJustEvalTemplates(this.#justEvalTemplatesDir());
    const config: JudgeRunConfig = {
      judgeId: judge.id,
      runIds: [...new Set(request.runIds)],
      rubricVersion: aspects.version,
      safetyRubricVersion: safety.version,
      judgeLang: request.judgeLang ?? JUDGE_RUN_DEFAULTS.judgeLang,
      repeats: request.repeats ?? JUDGE_RUN_DEFAULTS.repeats,
      temperature: request.temperature ?? (original ? JUST_EVAL_TEMPERATURE : JUDGE_RUN_DEFAULTS.temperature),
      seed: request.seed ?? JUDGE_RUN_DEFAULTS.seed,
      maxTokens: request.maxTokens ?? (original ? JUST_EVAL_MAX_TOKENS : JUDGE_RUN_DEFAULTS.maxTokens),
    };
    return this.#store.judgeRuns.findOrInsert({
      name: request.name ?? `${judge.name} · runs ${config.runIds.join(',')} · ${config.judgeLang}${config.repeats > 1 ? ` ×${config.repeats}` : ''}`,
      judgeId: judge.id,
      config,
      environment: processEnvironment(),
      total: this.#plan(config).length,
    }).run;
  }

  judgeRun(judgeRunId: number): JudgeRunRecord {
    const run = this.#store.judgeRuns.get(judgeRunId);
    if (!run) throw new NotFoundError(`No judge run with id ${judgeRunId}.`);
    return run;
  }

  /** The run as the UI sees it: its judge, and how many of its calls are stored (cache included), N/A and unanswered. */
  judgeRunInfo(run: JudgeRunRecord, progress: JudgeRunProgress | null): JudgeRunInfo {
    const judge = this.judge(run.judgeId);
    const existing = this.#store.judgements.callsOf(judge.identity, run.config.runIds);
    let done = 0;
    let na = 0;
    let unanswered = 0;
    for (const call of this.#plan(run.config)) {
      const found = existing.get(judgeCallKey({ generationId: call.target.generationId, rubricVersion: call.rubric.version, judgeLang: call.judgeLang, repeat: call.repeat }));
      if (!found) continue;
      done++;
      if (found.na) na++;
      if (found.unanswered) unanswered++;
    }
    return { ...run, judge, done, na, unanswered, progress };
  }

  /** Starts or resumes a judge run in this process; resolves with the final status (paused/cancelled on `signal`). */
  startJudgeRun(
    judgeRunId: number,
    options: { signal?: AbortSignal; onProgress?: (p: JudgeRunProgress) => void; onModelLoad?: (fraction: number) => void } = {},
  ): Promise<RunStatus> {
    const info = this.judge(this.judgeRun(judgeRunId).judgeId);
    return executeJudgeRun(judgeRunId, {
      store: judgeRunStorePort(this.#store, (judgeId) => this.judge(judgeId).identity),
      openJudge: (onLoad) => this.openJudge(info, onLoad),
      referenceDir: this.#justEvalTemplatesDir,
      ...options,
    });
  }

  // HELPERS

  #plan(config: JudgeRunConfig) {
    return planJudgeCalls(config, this.#store.judgements.targets(config.runIds), {
      aspects: this.rubric(config.rubricVersion),
      safety: this.rubric(config.safetyRubricVersion),
    });
  }

  #rubricOfKind(version: string | undefined, kind: RubricInfo['kind']): RubricInfo {
    if (version === undefined) return this.#defaultRubric(kind);
    const rubric = this.rubric(version);
    if (rubric.kind !== kind) throw new InputError(`Rubric "${version}" is a ${rubric.kind} rubric; a ${kind} rubric is needed here.`);
    return rubric;
  }

  /** The built-in rubric of a kind (the first one declared). */
  #defaultRubric(kind: RubricInfo['kind']): RubricInfo {
    const builtin = BUILTIN_RUBRICS.find((r) => r.kind === kind);
    if (!builtin) throw new Error(`No built-in ${kind} rubric.`);
    return this.rubric(builtin.version);
  }

  /** The API key of a remote judge, found the way it was configured; never stored or logged in plaintext. */
  #apiKeyOf(info: JudgeInfo): string | undefined {
    const key = info.apiKey;
    if (key.source === 'none') return undefined;
    if (key.source === 'env') return apiKeyFrom({ baseUrl: info.baseUrl!, model: info.model!, endpoint: 'chat', apiKeyEnv: key.variable });
    const blob = this.#store.judges.encryptedKey(info.id);
    if (!this.secrets || !blob)
      throw new InputError(`Judge "${info.name}" has an API key encrypted by the desktop app, which only the desktop app can read. Here, add the judge again with an environment variable (apiKeyEnv / --api-key-env).`);
    return this.secrets.decrypt(blob);
  }

}

/**
 * `just-eval-original` names the original judge as a whole: its multi-aspect rubric for regular items and, unless
 * another safety rubric is asked for, its safety rubric for safety items (as just-eval's evaluate.py splits them).
 */
function originalRubrics(request: JudgeRunCreateRequest): { rubricVersion?: string; safetyRubricVersion?: string } {
  const wholeJudge = request.rubricVersion === JUST_EVAL_ORIGINAL;
  return {
    rubricVersion: wholeJudge ? JUST_EVAL_ORIGINAL_MULTI : request.rubricVersion,
    safetyRubricVersion:
      request.safetyRubricVersion === JUST_EVAL_ORIGINAL || (wholeJudge && request.safetyRubricVersion === undefined) ? JUST_EVAL_ORIGINAL_SAFETY : request.safetyRubricVersion,
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

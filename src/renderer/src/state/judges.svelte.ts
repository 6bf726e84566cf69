import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { JudgeAddRequest, JudgeHumanReport, JudgeRunCreateRequest, JudgeRunInfo, JudgeRunProgress, JudgeTestResult } from '../../../shared/api';
import type { Lang, RunStatus } from '../../../shared/domain';
import type { JudgeInfo, RubricInfo, RubricPrompt } from '../../../shared/judging';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { router } from '../lib/router.svelte';

export const JUDGES_TABS = ['judges', 'rubrics', 'runs', 'agreement'] as const;
export type JudgesTab = (typeof JUDGES_TABS)[number];

export type JudgeRunAction = 'start' | 'pause' | 'cancel';

/** A connection test: the backend's verdict, or why the call itself failed. */
export type JudgeTestOutcome = { result: JudgeTestResult } | { error: string };

/**
 * The judging side of the workbench: judges (`judges.*`), versioned rubrics (`rubrics.*`), judge runs
 * (`judgeRuns.*`, kept live by the pushed `judgeRun.progress` and `judgeRuns.changed` events) and the judge vs
 * human report. The open tab lives in the URL hash (`#/judges?tab=rubrics`). Failures are state the view shows.
 */
export class JudgesState {
  readonly #params = $derived(router.paramsOf('judges'));
  readonly tab: JudgesTab = $derived((JUDGES_TABS as readonly string[]).includes(this.#params.tab ?? '') ? (this.#params.tab as JudgesTab) : 'judges');

  #judges = $state.raw<JudgeInfo[]>([]);
  #rubrics = $state.raw<RubricInfo[]>([]);
  #judgeRuns = $state.raw<JudgeRunInfo[]>([]);
  #loaded = $state(false);
  /** Counts 'judgeRuns.changed' events (see #fromAnswer). */
  #changes = 0;
  #unsubscribe: (() => void)[] = [];

  /** Per list: why it could not be read. */
  judgesError = $state<string | null>(null);
  rubricsError = $state<string | null>(null);
  judgeRunsError = $state<string | null>(null);

  adding = $state(false);
  addError = $state<string | null>(null);
  /** Connection tests, per judge id, and the ones in flight. */
  readonly tests = new SvelteMap<number, JudgeTestOutcome>();
  readonly testing = new SvelteSet<number>();

  savingRubric = $state(false);
  rubricError = $state<string | null>(null);

  creating = $state(false);
  createError = $state<string | null>(null);
  /** Judge runs with an action in flight, and the last action error per run. */
  readonly busy = new SvelteSet<number>();
  readonly actionErrors = new SvelteMap<number, string>();

  agreement = $state.raw<JudgeHumanReport | null>(null);
  agreementError = $state<string | null>(null);
  agreementLoading = $state(false);

  get judges(): JudgeInfo[] {
    return this.#judges;
  }
  get rubrics(): RubricInfo[] {
    return this.#rubrics;
  }
  /** Newest first. */
  get judgeRuns(): JudgeRunInfo[] {
    return this.#judgeRuns;
  }
  get loaded(): boolean {
    return this.#loaded;
  }

  setTab(tab: JudgesTab): void {
    router.update('judges', { tab: tab === 'judges' ? null : tab });
  }

  /** Subscribes to judge-run events and loads the lists; idempotent. */
  init(): void {
    if (this.#unsubscribe.length) return;
    this.#unsubscribe = [
      api.on('judgeRun.progress', (p) => this.#onProgress(p)),
      // No per-run getter in the contract: a status change refetches the (short) list.
      api.on('judgeRuns.changed', () => {
        this.#changes += 1;
        void this.refreshJudgeRuns();
      }),
    ];
    void this.refresh();
  }

  async refresh(): Promise<void> {
    await Promise.all([this.refreshJudges(), this.refreshRubrics(), this.refreshJudgeRuns()]);
    this.#loaded = true;
  }

  async refreshJudges(): Promise<void> {
    try {
      this.#judges = await api.call('judges.list', {});
      this.judgesError = null;
    } catch (err) {
      this.judgesError = errorText(err);
    }
  }

  async refreshRubrics(): Promise<void> {
    try {
      this.#rubrics = await api.call('rubrics.list', {});
      this.rubricsError = null;
    } catch (err) {
      this.rubricsError = errorText(err);
    }
  }

  async refreshJudgeRuns(): Promise<void> {
    try {
      this.#judgeRuns = sortNewestFirst(await api.call('judgeRuns.list', {}));
      this.judgeRunsError = null;
    } catch (err) {
      this.judgeRunsError = errorText(err);
    }
  }

  /** Adds a judge; true when it was added (the form then clears). */
  async addJudge(request: JudgeAddRequest): Promise<boolean> {
    this.adding = true;
    this.addError = null;
    try {
      const judge = await api.call('judges.add', request);
      this.#judges = [...this.#judges.filter((j) => j.id !== judge.id), judge];
      return true;
    } catch (err) {
      this.addError = errorText(err);
      return false;
    } finally {
      this.adding = false;
    }
  }

  async test(judgeId: number): Promise<void> {
    this.testing.add(judgeId);
    this.tests.delete(judgeId);
    try {
      this.tests.set(judgeId, { result: await api.call('judges.test', { judgeId }) });
    } catch (err) {
      this.tests.set(judgeId, { error: errorText(err) });
    } finally {
      this.testing.delete(judgeId);
    }
  }

  /** Saves an edited copy of `from` under a new version; returns it, or null on failure. */
  async saveRubric(from: string, name: string, prompts: Record<Lang, RubricPrompt>): Promise<RubricInfo | null> {
    this.savingRubric = true;
    this.rubricError = null;
    try {
      const saved = await api.call('rubrics.save', { from, name: name.trim() || undefined, prompts });
      this.#rubrics = [...this.#rubrics, saved];
      return saved;
    } catch (err) {
      this.rubricError = errorText(err);
      return null;
    } finally {
      this.savingRubric = false;
    }
  }

  async createRun(request: JudgeRunCreateRequest): Promise<boolean> {
    this.creating = true;
    this.createError = null;
    try {
      await this.#fromAnswer(() => api.call('judgeRuns.create', request));
      return true;
    } catch (err) {
      this.createError = errorText(err);
      return false;
    } finally {
      this.creating = false;
    }
  }

  async act(judgeRunId: number, action: JudgeRunAction): Promise<void> {
    this.busy.add(judgeRunId);
    this.actionErrors.delete(judgeRunId);
    try {
      await this.#fromAnswer(() => api.call(`judgeRuns.${action}`, { judgeRunId }));
    } catch (err) {
      this.actionErrors.set(judgeRunId, errorText(err));
    } finally {
      this.busy.delete(judgeRunId);
    }
  }

  async loadAgreement(runIds?: number[]): Promise<void> {
    this.agreementLoading = true;
    try {
      this.agreement = await api.call('judgements.humanAgreement', runIds?.length ? { runIds } : {});
      this.agreementError = null;
    } catch (err) {
      this.agreementError = errorText(err);
    } finally {
      this.agreementLoading = false;
    }
  }

  /**
   * Shows a judge run an action answered with. The answer travels apart from the events and can be older than
   * a change pushed meanwhile (a judge run answered from the cache is done before `judgeRuns.create` has
   * answered "running"), so when a change arrived during the call the list is read again after it.
   */
  async #fromAnswer(call: () => Promise<JudgeRunInfo>): Promise<void> {
    const changes = this.#changes;
    this.#upsert(await call());
    if (this.#changes !== changes) await this.refreshJudgeRuns();
  }

  #upsert(run: JudgeRunInfo): void {
    this.#judgeRuns = sortNewestFirst([...this.#judgeRuns.filter((r) => r.id !== run.id), run]);
  }

  #onProgress(p: JudgeRunProgress): void {
    const i = this.#judgeRuns.findIndex((r) => r.id === p.judgeRunId);
    if (i === -1) {
      // Created elsewhere (the CLI on the same data dir).
      void this.refreshJudgeRuns();
      return;
    }
    const next = this.#judgeRuns.slice();
    next[i] = { ...next[i]!, status: p.status, total: p.total, done: p.done, na: p.na, progress: p };
    this.#judgeRuns = next;
  }
}

export const judges = new JudgesState();

function sortNewestFirst(list: JudgeRunInfo[]): JudgeRunInfo[] {
  return list.slice().sort((a, b) => b.id - a.id);
}

const START = { action: 'start', label: 'Start' } as const;
const RESUME = { action: 'start', label: 'Resume' } as const;
const PAUSE = { action: 'pause', label: 'Pause' } as const;
const CANCEL = { action: 'cancel', label: 'Cancel' } as const;

/**
 * Which actions make sense for a judge run in each status. Resuming a failed or cancelled run is safe: calls
 * already judged come from the cache, only the missing ones are made.
 */
export const JUDGE_RUN_ACTIONS: Readonly<Record<RunStatus, readonly { action: JudgeRunAction; label: string }[]>> = {
  pending: [START, CANCEL],
  running: [PAUSE, CANCEL],
  paused: [RESUME, CANCEL],
  // The process that ran it is gone (crash): resumable like a paused run.
  interrupted: [RESUME, CANCEL],
  failed: [RESUME],
  cancelled: [RESUME],
  done: [],
};

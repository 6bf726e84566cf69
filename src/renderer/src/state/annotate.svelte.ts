import { untrack } from 'svelte';
import { ADJUDICATOR, type AgreementReport, type AnnotationItem, type AnnotationOrder, type AnnotationQueueEntry, type AnnotationRecord, type AnnotationStudy, type LabelInfo, type OpenedPackage, type ResolveEntry, type SuggestionDecision } from '../../../shared/api';
import type { Finding } from '../../../shared/detection';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { router } from '../lib/router.svelte';

const ANNOTATOR_KEY = 'align-workbench.annotator';
const NOTE_DEBOUNCE_MS = 500;
export const ORDERS: readonly AnnotationOrder[] = ['flagged-first', 'random', 'stratified'];

/** One detector suggestion: the findings of one label on the item, and what the annotator decided. */
export interface Suggestion {
  label: string;
  findings: Finding[];
  decision: SuggestionDecision | null;
}

export type SaveState = 'idle' | 'saving' | 'saved' | 'error';

/**
 * The annotation view. Queue settings and the position in the queue (`pos`, 1-based) live in the URL hash;
 * the annotator name in localStorage. Every change is saved at once (saves run one after another, so they
 * land in the order they were made), and the shown item is the working copy the keys edit.
 */
export class AnnotateState {
  readonly #params = $derived(router.paramsOf('annotate'));
  readonly order: AnnotationOrder = $derived(ORDERS.includes(this.#params.order as AnnotationOrder) ? (this.#params.order as AnnotationOrder) : 'flagged-first');
  readonly runId: number | null = $derived(/^\d+$/.test(this.#params.run ?? '') ? Number(this.#params.run) : null);
  readonly seed: number = $derived(/^-?\d+$/.test(this.#params.seed ?? '') ? Number(this.#params.seed) : 1);
  /** 0-based index in the queue. */
  readonly index: number = $derived(/^\d+$/.test(this.#params.pos ?? '') ? Math.max(0, Number(this.#params.pos) - 1) : 0);
  readonly tab: 'annotate' | 'agreement' = $derived(this.#params.tab === 'agreement' ? 'agreement' : 'annotate');
  /** An opened annotation package: the queue is its items (over the runs it was opened into). */
  readonly packageId: string | null = $derived(this.#params.pkg || null);
  /** A study whose disagreements are being resolved: the queue is its resolve queue, annotated as ADJUDICATOR. */
  readonly resolveStudyId: string | null = $derived(this.#params.resolve || null);

  annotator = $state(readAnnotator());
  labels = $state.raw<LabelInfo[]>([]);
  queue = $state.raw<AnnotationQueueEntry[]>([]);
  queueLoaded = $state(false);
  item = $state.raw<AnnotationItem | null>(null);
  /** Queue index of the shown item. */
  itemIndex = $state(0);
  error = $state<string | null>(null);
  /** The working copy of the shown item's annotation. */
  chosen = $state.raw<string[]>([]);
  note = $state('');
  decisions = $state.raw<Record<string, SuggestionDecision>>({});
  annotated = $state(false);
  saveState = $state<SaveState>('idle');
  saveError = $state<string | null>(null);
  showShortcuts = $state(false);
  agreement = $state.raw<AgreementReport | null>(null);
  agreementError = $state<string | null>(null);
  resolveEntries = $state.raw<ResolveEntry[]>([]);
  /** What each annotator said about the shown item, when resolving a disagreement. */
  readonly resolveEntry: ResolveEntry | null = $derived(this.resolveEntries.find((e) => e.generationId === this.item?.generationId) ?? null);

  #saving: Promise<unknown> = Promise.resolve();
  #pendingSaves = 0;
  #queueKey: string | null = null;
  #itemKey: string | null = null;
  #noteTimer: ReturnType<typeof setTimeout> | undefined;

  readonly suggestions: Suggestion[] = $derived.by(() => {
    const byLabel = new Map<string, Finding[]>();
    for (const f of this.item?.findings ?? []) byLabel.set(f.label, [...(byLabel.get(f.label) ?? []), f]);
    return [...byLabel].map(([label, findings]) => ({ label, findings, decision: this.decisions[label] ?? null }));
  });
  /** The suggestion y/n act on: the first one still pending. */
  readonly focusedSuggestion: Suggestion | null = $derived(this.suggestions.find((s) => s.decision === null) ?? null);

  // LOADING (driven by the view's effects)

  async loadLabels(): Promise<void> {
    try {
      this.labels = await api.call('labels.list', {});
    } catch (err) {
      this.error = errorText(err);
    }
  }

  syncQueue(): void {
    const key = JSON.stringify([this.annotator, this.order, this.runId, this.seed, this.packageId, this.resolveStudyId]);
    untrack(() => {
      if (key === this.#queueKey) return;
      this.#queueKey = key;
      void this.#loadQueue(key);
    });
  }

  async #loadQueue(key: string): Promise<void> {
    if (!this.annotator) {
      this.queue = [];
      this.queueLoaded = true;
      return;
    }
    try {
      const entries = this.resolveStudyId ? await this.#resolveQueue(this.resolveStudyId) : await this.#annotationQueue();
      if (key !== this.#queueKey) return;
      this.queue = entries;
      this.queueLoaded = true;
      this.#itemKey = null;
      this.syncItem();
    } catch (err) {
      this.error = errorText(err);
    }
  }

  async #annotationQueue(): Promise<AnnotationQueueEntry[]> {
    let runIds = this.runId !== null ? [this.runId] : undefined;
    if (this.packageId) {
      const pkg = (await api.call('annotationPackages.list', {})).find((p) => p.packageId === this.packageId);
      if (!pkg) throw new Error('That package is not open in this data folder: open its .alignpkg file first.');
      runIds = pkg.runIds;
    }
    const q = await api.call('annotations.queue', { annotator: this.annotator, order: this.order, seed: this.seed, runIds, limit: 100_000 });
    return q.entries;
  }

  async #resolveQueue(studyId: string): Promise<AnnotationQueueEntry[]> {
    this.resolveEntries = await api.call('annotationPackages.resolveQueue', { studyId });
    return this.resolveEntries.map((e) => ({ generationId: e.generationId, findings: 0, annotated: e.adjudicated !== null }));
  }

  syncItem(): void {
    const entry = this.queue[this.index];
    const key = entry ? `${this.annotator}\u0000${entry.generationId}` : null;
    untrack(() => {
      if (key === this.#itemKey) return;
      this.#itemKey = key;
      this.flushNote();
      // Keys pressed before the next item arrives must not change the previous one.
      this.item = null;
      if (entry) void this.#loadItem(entry.generationId, key!, this.index);
    });
  }

  async #loadItem(generationId: number, key: string, index: number): Promise<void> {
    try {
      // After the saves still on their way, so the item shows what was just saved.
      await this.#saving;
      const item = await api.call('annotations.get', { generationId, annotator: this.annotator });
      if (key !== this.#itemKey) return;
      this.item = item;
      this.itemIndex = index;
      this.#setWorking(item.annotation);
      this.error = null;
    } catch (err) {
      this.error = errorText(err);
    }
  }

  #setWorking(a: AnnotationRecord | null): void {
    clearTimeout(this.#noteTimer);
    this.#noteTimer = undefined;
    this.chosen = a?.labels ?? [];
    this.note = a?.note ?? '';
    this.decisions = a?.decisions ?? {};
    this.annotated = a !== null;
  }

  // SETTINGS

  setAnnotator(name: string): void {
    const trimmed = name.trim();
    if (trimmed === this.annotator) return;
    this.annotator = trimmed;
    try {
      localStorage.setItem(ANNOTATOR_KEY, trimmed);
    } catch {
      // No storage: the name lasts for this session.
    }
    this.saveState = 'idle';
    router.update('annotate', { pos: null });
  }

  /** Annotates an opened package under its annotator's name (null: back to the runs of this store). */
  setPackage(pkg: OpenedPackage | null): void {
    if (pkg) this.setAnnotator(pkg.annotator);
    router.update('annotate', { pkg: pkg?.packageId ?? null, run: null, resolve: null, tab: null, pos: null });
  }

  /** Walks the study's disagreements; each resolution is an annotation by ADJUDICATOR. */
  resolve(study: AnnotationStudy): void {
    this.setAnnotator(ADJUDICATOR);
    router.update('annotate', { resolve: study.id, pkg: null, run: null, tab: null, pos: null });
  }

  setOrder(order: AnnotationOrder): void {
    router.update('annotate', { order, pos: null });
  }

  setRun(runId: number | null): void {
    router.update('annotate', { run: runId, pkg: null, resolve: null, pos: null });
  }

  setTab(tab: 'annotate' | 'agreement'): void {
    // The view reloads the agreement whenever its tab opens.
    router.update('annotate', { tab: tab === 'agreement' ? 'agreement' : null });
  }

  move(delta: number): void {
    if (this.queue.length === 0) return;
    const next = Math.min(this.queue.length - 1, Math.max(0, this.index + delta));
    if (next !== this.index) router.update('annotate', { pos: next + 1 });
  }

  // EDITS (each one saved at once)

  toggleLabel(name: string): void {
    if (!this.item) return;
    this.chosen = this.chosen.includes(name) ? this.chosen.filter((l) => l !== name) : [...this.chosen, name];
    this.#save();
  }

  toggleLabelAt(index: number): void {
    const label = this.labels[index];
    if (label) this.toggleLabel(label.name);
  }

  clearLabels(): void {
    if (!this.item) return;
    this.chosen = [];
    this.#save();
  }

  /** Accepting a suggestion adds its label; rejecting removes it. */
  decide(decision: SuggestionDecision, label = this.focusedSuggestion?.label): void {
    if (!this.item || !label) return;
    this.decisions = { ...this.decisions, [label]: decision };
    if (decision === 'accepted' && !this.chosen.includes(label)) this.chosen = [...this.chosen, label];
    if (decision === 'rejected') this.chosen = this.chosen.filter((l) => l !== label);
    this.#save();
  }

  setNote(text: string): void {
    this.note = text;
    clearTimeout(this.#noteTimer);
    this.#noteTimer = setTimeout(() => {
      this.#noteTimer = undefined;
      this.#save();
    }, NOTE_DEBOUNCE_MS);
  }

  flushNote(): void {
    if (this.#noteTimer === undefined) return;
    clearTimeout(this.#noteTimer);
    this.#noteTimer = undefined;
    if (this.item && (this.item.annotation?.note ?? '') !== this.note) this.#save();
  }

  #save(): void {
    const item = this.item;
    if (!item || !this.annotator) return;
    const request = { generationId: item.generationId, annotator: this.annotator, labels: [...this.chosen], note: this.note || null, decisions: { ...this.decisions } };
    this.annotated = true;
    this.#pendingSaves++;
    this.saveState = 'saving';
    this.#saving = this.#saving
      .then(() => api.call('annotations.save', request))
      .then((saved) => {
        if (this.item?.generationId === saved.generationId && this.annotator === saved.annotator) this.item = { ...this.item, annotation: saved };
        this.#markAnnotated(saved.generationId, true);
        this.saveError = null;
      })
      .catch((err: unknown) => {
        this.saveError = errorText(err);
        this.saveState = 'error';
      })
      .finally(() => {
        if (--this.#pendingSaves === 0 && this.saveState !== 'error') this.saveState = 'saved';
      });
  }

  #markAnnotated(generationId: number, annotated: boolean): void {
    if (this.queue.some((e) => e.generationId === generationId && e.annotated !== annotated))
      this.queue = this.queue.map((e) => (e.generationId === generationId ? { ...e, annotated } : e));
  }

  /** Undoes the last change; shows the item it changed (moving to it when it is elsewhere in the queue). */
  async undo(): Promise<void> {
    if (!this.annotator) return;
    this.flushNote();
    this.saveState = 'saving';
    try {
      await this.#saving;
      const undone = await api.call('annotations.undo', { annotator: this.annotator });
      this.saveState = 'saved';
      if (!undone) return;
      this.#markAnnotated(undone.generationId, undone.annotation !== null);
      if (this.item?.generationId === undone.generationId) {
        this.item = { ...this.item, annotation: undone.annotation };
        this.#setWorking(undone.annotation);
      } else {
        const at = this.queue.findIndex((e) => e.generationId === undone.generationId);
        if (at >= 0) router.update('annotate', { pos: at + 1 });
      }
    } catch (err) {
      this.saveError = errorText(err);
      this.saveState = 'error';
    }
  }

  // AGREEMENT

  /** Agreement over the chosen run (or all), or over a study's runs between its annotators. */
  async loadAgreement(study: AnnotationStudy | null = null): Promise<void> {
    try {
      await this.#saving;
      this.agreement = await api.call(
        'annotations.agreement',
        study ? { runIds: study.runIds, annotators: study.annotators } : { runIds: this.runId !== null ? [this.runId] : undefined },
      );
      this.agreementError = null;
    } catch (err) {
      this.agreementError = errorText(err);
    }
  }
}

function readAnnotator(): string {
  try {
    return localStorage.getItem(ANNOTATOR_KEY) ?? '';
  } catch {
    return '';
  }
}

export const annotate = new AnnotateState();

import { untrack } from 'svelte';
import { SvelteMap } from 'svelte/reactivity';
import type { GenerationDetail, GenerationFilter, GenerationRow, SideBySideColumn } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';
import { excludedByFilter, filterToParams, paramsToFilter, selectedIdOf } from '../lib/generationParams';
import { buildMatrix, moveInMatrix, parseAxis, type Matrix, type MatrixAxis, type MatrixMove } from '../lib/matrix';
import { router } from '../lib/router.svelte';

/** Rows per `generations.query` call. */
export const PAGE_SIZE = 200;
/** Pages kept in memory (50 × 200 = 10k rows); the farthest from the last one used are dropped first. */
const MAX_PAGES = 50;
const SEARCH_DEBOUNCE_MS = 250;
const MARKDOWN_KEY = 'align-workbench.markdown';

/**
 * The generations reader. Its filter, the opened generation (`item`) and the side-by-side switch (`sbs`)
 * live in the URL hash (via the router), so a reading position can be shared and survives reload; this class
 * derives everything from there and fetches what is shown:
 * - the list is paged: `generations.query` pages of PAGE_SIZE rows, fetched on demand for the rows the
 *   virtual list shows, cached in a Map (arrays stored raw, never deep-proxied), stale answers dropped;
 * - the detail (`generations.get`) and side by side (`generations.sideBySide`) of the opened generation.
 * The view drives it from three `$effect`s (`syncList`, `syncDetail`, `syncSideBySide`).
 */
export class GenerationsState {
  readonly #params = $derived(router.paramsOf('generations'));
  // Through a string so the filter object only changes when a filter does (not when `item` or `sbs` do).
  readonly #filterKey = $derived(JSON.stringify(paramsToFilter(this.#params)));
  readonly #filter: GenerationFilter = $derived(JSON.parse(this.#filterKey));
  readonly #selectedId = $derived(selectedIdOf(this.#params));
  readonly #sideBySideOn = $derived(this.#params.sbs === '1');
  readonly #axis = $derived(parseAxis(this.#params.mx));

  // LIST
  /** Page number → rows. Reactive per key; the row arrays themselves are plain. */
  readonly #pages = new SvelteMap<number, readonly GenerationRow[]>();
  #inflight = new Map<number, Promise<void>>();
  /** Bumped on every filter change: answers to an older filter are dropped. */
  #epoch = 0;
  #loadedKey: string | null = null;
  #total = $state<number | null>(null);
  #listError = $state<string | null>(null);
  /** Index of the keyboard cursor (j/k) in the list. */
  #cursor = $state<number | null>(null);

  // SEARCH BOX (typed text; committed to the URL after a pause)
  #searchDraft = $state('');
  #searchTimer: ReturnType<typeof setTimeout> | undefined;

  // DETAIL
  #detail = $state.raw<GenerationDetail | null>(null);
  #detailError = $state<string | null>(null);
  #detailLoading = $state(false);

  // SIDE BY SIDE
  #columns = $state.raw<SideBySideColumn[]>([]);
  #columnsFor: number | null = null;
  #columnsError = $state<string | null>(null);
  #columnsLoading = $state(false);
  readonly #matrix = $derived(buildMatrix(this.#columns, this.#axis));

  /** A generation was opened during this session (the welcome screen's "read" step). */
  #openedOne = $state(false);

  /** Render outputs as sanitized Markdown instead of plain text (off by default: outputs are untrusted). */
  #markdown = $state(readFlag(MARKDOWN_KEY));

  get filter(): GenerationFilter {
    return this.#filter;
  }
  /** Changes exactly when the filter does. */
  get filterKey(): string {
    return this.#filterKey;
  }
  get total(): number | null {
    return this.#total;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get cursor(): number | null {
    return this.#cursor;
  }
  get selectedId(): number | null {
    return this.#selectedId;
  }
  get sideBySideOn(): boolean {
    return this.#sideBySideOn;
  }
  get detail(): GenerationDetail | null {
    return this.#detail;
  }
  get detailError(): string | null {
    return this.#detailError;
  }
  get detailLoading(): boolean {
    return this.#detailLoading;
  }
  get columns(): SideBySideColumn[] {
    return this.#columns;
  }
  /** The side-by-side matrix: languages × methods (or models, `mx=model` in the URL). */
  get matrix(): Matrix {
    return this.#matrix;
  }
  get axis(): MatrixAxis {
    return this.#axis;
  }
  setAxis(axis: MatrixAxis): void {
    router.update('generations', { mx: axis === 'method' ? undefined : axis });
  }
  get columnsError(): string | null {
    return this.#columnsError;
  }
  get columnsLoading(): boolean {
    return this.#columnsLoading;
  }
  get markdown(): boolean {
    return this.#markdown;
  }
  get openedOne(): boolean {
    return this.#openedOne;
  }
  set markdown(on: boolean) {
    this.#markdown = on;
    writeFlag(MARKDOWN_KEY, on);
  }
  get searchDraft(): string {
    return this.#searchDraft;
  }
  get hasFilter(): boolean {
    return this.#filterKey !== '{}';
  }

  // FILTERS

  /** Changes filters (undefined clears one); the list restarts from the top. */
  setFilter(patch: Partial<GenerationFilter>): void {
    router.update('generations', filterToParams({ ...this.#filter, ...patch }));
  }

  clearFilters(): void {
    clearTimeout(this.#searchTimer);
    this.#searchDraft = '';
    router.update('generations', filterToParams({}));
  }

  /** The search box: typed text is committed to the filter after a short pause. */
  set searchDraft(text: string) {
    this.#searchDraft = text;
    clearTimeout(this.#searchTimer);
    this.#searchTimer = setTimeout(() => this.setFilter({ search: text.trim() || undefined }), SEARCH_DEBOUNCE_MS);
  }

  /** Commits the search now (Enter in the box). */
  commitSearch(): void {
    clearTimeout(this.#searchTimer);
    this.setFilter({ search: this.#searchDraft.trim() || undefined });
  }

  // LIST

  /** The row at `index`, or undefined while its page is loading. */
  rowAt(index: number): GenerationRow | undefined {
    return this.#pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE];
  }

  /**
   * Restarts the list when the filter changed (the first page also gives the total). Call from an `$effect`;
   * it tracks the filter only.
   */
  syncList(): void {
    const key = this.#filterKey;
    const search = this.#filter.search ?? '';
    untrack(() => {
      if (key === this.#loadedKey) return;
      this.#loadedKey = key;
      // A search changed from outside the box (Back, a pasted link) shows in the box.
      if (search !== this.#searchDraft.trim()) {
        clearTimeout(this.#searchTimer);
        this.#searchDraft = search;
      }
      this.#reset();
      void this.#fetchPage(0).then(() => this.#closeIfExcluded());
    });
  }

  /**
   * After a filter change, closes the detail (and side by side) of a generation the filter now excludes: exactly
   * when the whole filtered list fits in the first page, else by the fields the reader knows of it.
   */
  #closeIfExcluded(): void {
    const id = this.#selectedId;
    const rows = this.#pages.get(0);
    if (id === null || !rows || this.#total === null) return;
    const known = this.#detail?.id === id ? this.#detail : null;
    const excluded = this.#total <= rows.length ? !rows.some((r) => r.id === id) : known !== null && excludedByFilter(this.#filter, known);
    if (excluded) router.update('generations', { item: undefined, sbs: undefined });
  }

  /** Refetches the total and the visible pages (new generations arrive while runs go on). */
  refresh(): void {
    this.#reset();
    void this.#fetchPage(0);
  }

  #reset(): void {
    this.#epoch++;
    this.#pages.clear();
    this.#inflight.clear();
    this.#total = null;
    this.#listError = null;
    this.#cursor = null;
  }

  /** Fetches the pages covering rows [start, end) that are not cached or on their way. */
  ensureRows(start: number, end: number): void {
    if (end <= start) return;
    for (let p = Math.floor(start / PAGE_SIZE); p <= Math.floor((end - 1) / PAGE_SIZE); p++) void this.#fetchPage(p);
  }

  #fetchPage(page: number): Promise<void> {
    if (this.#pages.has(page)) return Promise.resolve();
    const pending = this.#inflight.get(page);
    if (pending) return pending;
    const epoch = this.#epoch;
    const filter = this.#filter;
    const promise = (async () => {
      try {
        const { rows, total } = await api.call('generations.query', { filter, offset: page * PAGE_SIZE, limit: PAGE_SIZE });
        if (epoch !== this.#epoch) return;
        this.#pages.set(page, rows);
        this.#total = total;
        this.#listError = null;
        this.#evict(page);
        this.#placeCursor();
      } catch (err) {
        if (epoch === this.#epoch) this.#listError = errorText(err);
      } finally {
        if (epoch === this.#epoch) this.#inflight.delete(page);
      }
    })();
    this.#inflight.set(page, promise);
    return promise;
  }

  #evict(around: number): void {
    if (this.#pages.size <= MAX_PAGES) return;
    const far = [...this.#pages.keys()].sort((a, b) => Math.abs(b - around) - Math.abs(a - around));
    for (const p of far.slice(0, this.#pages.size - MAX_PAGES)) this.#pages.delete(p);
  }

  /** After a reload with `item=<id>` the cursor starts on that row once its page is in. */
  #placeCursor(): void {
    if (this.#cursor !== null || this.#selectedId === null) return;
    this.#cursor = this.#indexOf(this.#selectedId);
  }

  // CURSOR AND SELECTION

  /** Moves the cursor (j/k); when a detail is open it follows the cursor, as in a mail reader. */
  async move(delta: number): Promise<void> {
    const total = this.#total ?? 0;
    if (total === 0) return;
    const next = this.#cursor === null ? (delta > 0 ? 0 : total - 1) : Math.min(total - 1, Math.max(0, this.#cursor + delta));
    this.#cursor = next;
    if (this.#selectedId !== null) await this.openAt(next);
  }

  /** Opens the detail of the row at `index` (click, Enter). */
  async openAt(index: number): Promise<void> {
    this.#cursor = index;
    await this.#fetchPage(Math.floor(index / PAGE_SIZE));
    // The cursor may have moved on while the page loaded.
    if (this.#cursor !== index) return;
    const row = this.rowAt(index);
    if (row) this.open(row.id);
  }

  /** Opens a generation; the list cursor moves to its row, or off the list when it is not there (one highlight only). */
  open(id: number): void {
    const at = this.#indexOf(id);
    this.#cursor = at;
    router.update('generations', { item: id }, { push: this.#selectedId === null });
  }

  #indexOf(id: number): number | null {
    for (const [page, rows] of this.#pages) {
      const i = rows.findIndex((r) => r.id === id);
      if (i !== -1) return page * PAGE_SIZE + i;
    }
    return null;
  }

  /** Arrow keys in the matrix: the detail follows the selected cell. */
  moveCell(move: MatrixMove): void {
    const id = this.#selectedId;
    const next = id === null ? null : moveInMatrix(this.#matrix, id, move);
    if (next !== null) this.open(next);
  }

  /** Escape: leaves side by side first, then the detail. */
  close(): void {
    if (this.#sideBySideOn) router.update('generations', { sbs: undefined });
    else if (this.#selectedId !== null) router.update('generations', { item: undefined, sbs: undefined });
  }

  /** `s`: side by side of the opened generation (or of the row under the cursor). */
  async toggleSideBySide(): Promise<void> {
    if (this.#sideBySideOn) {
      router.update('generations', { sbs: undefined });
      return;
    }
    if (this.#selectedId === null && this.#cursor !== null) await this.openAt(this.#cursor);
    if (this.#selectedId !== null) router.update('generations', { sbs: 1 });
  }

  // DETAIL AND SIDE BY SIDE

  /** Loads the opened generation. Call from an `$effect`: it tracks the selected id only. */
  syncDetail(): void {
    const id = this.#selectedId;
    untrack(() => {
      if (id === null) {
        this.#detail = null;
        this.#detailError = null;
        return;
      }
      if (this.#detail?.id === id) return;
      void this.#loadDetail(id);
    });
  }

  async #loadDetail(id: number): Promise<void> {
    this.#detailLoading = true;
    this.#detailError = null;
    try {
      const detail = await api.call('generations.get', { id });
      if (this.#selectedId === id) this.#detail = detail;
      this.#openedOne = true;
    } catch (err) {
      if (this.#selectedId === id) {
        this.#detail = null;
        this.#detailError = errorText(err);
      }
    } finally {
      if (this.#selectedId === id) this.#detailLoading = false;
    }
  }

  /** Loads the columns when side by side is on. Call from an `$effect`. */
  syncSideBySide(): void {
    const id = this.#sideBySideOn ? this.#selectedId : null;
    untrack(() => {
      if (id === null || id === this.#columnsFor) return;
      // A move inside the matrix stays on the same item: its cells are already here.
      if (this.#columns.some((c) => c.id === id)) {
        this.#columnsFor = id;
        return;
      }
      void this.#loadColumns(id);
    });
  }

  async #loadColumns(id: number): Promise<void> {
    this.#columnsFor = id;
    this.#columnsLoading = true;
    this.#columnsError = null;
    try {
      // All runs: the point is to see this item under every method, model and language there is.
      const columns = await api.call('generations.sideBySide', { id });
      if (this.#columnsFor === id) this.#columns = columns;
    } catch (err) {
      if (this.#columnsFor === id) {
        this.#columns = [];
        this.#columnsError = errorText(err);
        // Let a later toggle retry.
        this.#columnsFor = null;
      }
    } finally {
      this.#columnsLoading = false;
    }
  }
}

function readFlag(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Unavailable storage: the toggle lasts for this session.
  }
}

export const generations = new GenerationsState();

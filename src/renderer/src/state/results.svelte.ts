import { untrack } from 'svelte';
import type { AspectCell, ComparisonRow, CriticalErrorRate, FamilyInfo, ResultsFilter, ResultsGroupKey, TableFormat } from '../../../shared/api';
import type { JudgeInfo, RubricInfo } from '../../../shared/judging';
import type { RunRateRow } from '../../../shared/rates';
import { api } from '../lib/api';
import { downloadText } from '../lib/download';
import { errorText } from '../lib/errorText';
import { filterToParams } from '../lib/generationParams';
import { formatHash, patchParams, type RouteParams } from '../lib/hashRoute';
import { router } from '../lib/router.svelte';
import { paramsToResultsQuery, readerFilterFor, resultsQueryToParams, type Comparison, type ErrorSource, type ResultsQuery } from '../lib/resultsParams';
import type { BarTarget } from '../lib/charts/resultsCharts';
import { models } from './models.svelte';

const TABLE_TYPES: Record<TableFormat, string> = { csv: 'text/csv', md: 'text/markdown', latex: 'application/x-latex' };

/**
 * The Results view: its query (filters, grouping, error source, comparison) lives in the URL hash; this class
 * fetches what the query asks for — `results.aspects`, `results.criticalErrors` and, when two sides are chosen,
 * `results.compare` — drops answers to an older query, and turns a bar's group into a reader link.
 */
export class ResultsState {
  readonly #params = $derived(router.paramsOf('results'));
  // Through a string so the query object only changes when the query does.
  readonly #queryKey = $derived(JSON.stringify(paramsToResultsQuery(this.#params)));
  readonly #query: ResultsQuery = $derived(JSON.parse(this.#queryKey));

  #cells = $state.raw<AspectCell[]>([]);
  #cellsError = $state<string | null>(null);
  #rates = $state.raw<CriticalErrorRate[]>([]);
  #ratesError = $state<string | null>(null);
  #runRates = $state.raw<RunRateRow[]>([]);
  #runRatesError = $state<string | null>(null);
  #comparison = $state.raw<ComparisonRow[]>([]);
  #comparisonError = $state<string | null>(null);
  #loading = $state(false);
  #loadedKey: string | null = null;
  /** Bumped per query: answers to an older one are dropped. */
  #epoch = 0;

  #judges = $state.raw<JudgeInfo[]>([]);
  #rubrics = $state.raw<RubricInfo[]>([]);
  #families = $state.raw<FamilyInfo[]>([]);
  #optionsError = $state<string | null>(null);

  #exporting = $state<TableFormat | null>(null);
  #exportError = $state<string | null>(null);

  get query(): ResultsQuery {
    return this.#query;
  }
  get filter(): ResultsFilter {
    return this.#query.filter;
  }
  get groupBy(): ResultsGroupKey[] {
    return this.#query.groupBy;
  }
  get cells(): AspectCell[] {
    return this.#cells;
  }
  get cellsError(): string | null {
    return this.#cellsError;
  }
  get rates(): CriticalErrorRate[] {
    return this.#rates;
  }
  get ratesError(): string | null {
    return this.#ratesError;
  }
  /** LPR and critical-error rates per run × language (`results.rates`) of the filter's runs, in its languages. */
  get runRates(): RunRateRow[] {
    const langs = this.#query.filter.langs;
    return langs?.length ? this.#runRates.filter((r) => langs.includes(r.lang)) : this.#runRates;
  }
  get runRatesError(): string | null {
    return this.#runRatesError;
  }
  get comparison(): ComparisonRow[] {
    return this.#comparison;
  }
  get comparisonError(): string | null {
    return this.#comparisonError;
  }
  get loading(): boolean {
    return this.#loading;
  }
  get judges(): JudgeInfo[] {
    return this.#judges;
  }
  get rubrics(): RubricInfo[] {
    return this.#rubrics;
  }
  get optionsError(): string | null {
    return this.#optionsError;
  }
  get exporting(): TableFormat | null {
    return this.#exporting;
  }
  get exportError(): string | null {
    return this.#exportError;
  }
  /** Generations whose N/A was counted as 5 in the current aspect cells. */
  get substituted(): number {
    return this.#cells.reduce((sum, c) => sum + c.substituted, 0);
  }

  // QUERY (written to the URL; `sync` fetches)

  #write(next: ResultsQuery): void {
    router.update('results', resultsQueryToParams(next));
  }
  setFilter(patch: Partial<ResultsFilter>): void {
    this.#write({ ...this.#query, filter: { ...this.#query.filter, ...patch } });
  }
  setGroupBy(groupBy: ResultsGroupKey[]): void {
    this.#write({ ...this.#query, groupBy });
  }
  setSource(source: ErrorSource): void {
    this.#write({ ...this.#query, source });
  }
  setCompare(compare: Comparison | null): void {
    this.#write({ ...this.#query, compare });
  }
  clearFilters(): void {
    this.#write({ ...this.#query, filter: { naPolicy: this.#query.filter.naPolicy } });
  }

  /** Fetches when the query changed. Call from an `$effect`; it tracks the query only. */
  sync(): void {
    const key = this.#queryKey;
    const query = this.#query;
    untrack(() => {
      if (key === this.#loadedKey) return;
      this.#loadedKey = key;
      void this.#fetch(query);
    });
  }

  /**
   * Refetches when a judge run or a generation run changes status (new judgements or generations). Call from an
   * `$effect` while the view is shown; returns the unsubscribe.
   */
  watch(): () => void {
    const offs = [api.on('judgeRuns.changed', () => this.refresh()), api.on('runs.changed', () => this.refresh())];
    return () => offs.forEach((off) => off());
  }

  refresh(): void {
    this.#loadedKey = null;
    void this.#fetch(this.#query);
    void this.loadOptions();
  }

  async #fetch(query: ResultsQuery): Promise<void> {
    const epoch = ++this.#epoch;
    this.#loading = true;
    const { filter, groupBy, source, compare } = query;
    // Each answer sets its value and its error (null on success), unless a newer query has started.
    const settle = async <T>(promise: Promise<T>, set: (value: T) => void, setError: (message: string | null) => void, empty: T) => {
      try {
        const value = await promise;
        if (epoch !== this.#epoch) return;
        set(value);
        setError(null);
      } catch (err) {
        if (epoch !== this.#epoch) return;
        set(empty);
        setError(errorText(err));
      }
    };
    const jobs = [
      settle(api.call('results.aspects', { filter, groupBy }), (v) => (this.#cells = v), (e) => (this.#cellsError = e), []),
      settle(api.call('results.criticalErrors', { filter, source }), (v) => (this.#rates = v), (e) => (this.#ratesError = e), []),
      settle(this.#runRatesOf(filter.runIds, source), (v) => (this.#runRates = v), (e) => (this.#runRatesError = e), []),
    ];
    if (compare) {
      const within = groupBy.filter((k) => k !== compare.dimension);
      const request = { filter, dimension: compare.dimension, a: compare.a, b: compare.b, within };
      jobs.push(settle(api.call('results.compare', request), (v) => (this.#comparison = v), (e) => (this.#comparisonError = e), []));
    } else {
      this.#comparison = [];
      this.#comparisonError = null;
    }
    await Promise.all(jobs);
    if (epoch === this.#epoch) this.#loading = false;
  }

  /** `results.rates` reads whole runs: the filter's, else every run (none yet: nothing to ask). */
  async #runRatesOf(runIds: number[] | undefined, source: ErrorSource): Promise<RunRateRow[]> {
    const ids = runIds?.length ? runIds : (await api.call('runs.list', {})).map((r) => r.id);
    return ids.length ? api.call('results.rates', { runIds: ids, source }) : [];
  }

  /** Judges, rubric versions and families for the filters and for mapping groups to models. */
  async loadOptions(): Promise<void> {
    const errors: string[] = [];
    const load = async <T>(what: string, call: () => Promise<T>, set: (v: T) => void) => {
      try {
        set(await call());
      } catch (err) {
        errors.push(`${what}: ${errorText(err)}`);
      }
    };
    await Promise.all([
      load('judges', () => api.call('judges.list', {}), (v) => (this.#judges = v)),
      load('rubrics', () => api.call('rubrics.list', {}), (v) => (this.#rubrics = v)),
      load('model families', () => api.call('families.list', {}), (v) => (this.#families = v)),
    ]);
    this.#optionsError = errors.length ? `Could not list ${errors.join('; ')}` : null;
  }

  // CLICK-THROUGH

  /** The reader's params for the generations behind a bar; null when its model is no longer in the library. */
  readerParams(target: BarTarget): RouteParams | null {
    const filter = readerFilterFor(target, this.#query.filter, (key, value) => this.#modelIdsOf(key, value));
    return filter ? patchParams({}, filterToParams(filter)) : null;
  }

  readerHref(target: BarTarget): string | null {
    const params = this.readerParams(target);
    return params ? formatHash({ view: 'generations', params }) : null;
  }

  openReader(target: BarTarget): void {
    const params = this.readerParams(target);
    if (params) router.navigate('generations', params);
  }

  #modelIdsOf(key: 'model' | 'family' | 'role', value: string): number[] {
    const all = models.models;
    // "(no role)" / "(no family)" are how results.aspects names models without one.
    if (key === 'role') return all.filter((m) => (m.role ?? '(no role)') === value).map((m) => m.id);
    if (key === 'family') {
      if (value === '(no family)') return all.filter((m) => m.familyId === null).map((m) => m.id);
      return this.#families.find((f) => f.name === value)?.members.map((m) => m.modelId) ?? [];
    }
    // A model group is named by the model's name; an id is accepted too.
    return all.filter((m) => m.name === value || String(m.id) === value).map((m) => m.id);
  }

  // EXPORTS

  /** Downloads the aggregate table (results.table) as CSV, Markdown or LaTeX. */
  async exportTable(format: TableFormat): Promise<void> {
    this.#exporting = format;
    this.#exportError = null;
    try {
      const { text, filename } = await api.call('results.table', { filter: this.#query.filter, groupBy: this.#query.groupBy, format });
      downloadText(text, filename, TABLE_TYPES[format]);
    } catch (err) {
      this.#exportError = errorText(err);
    } finally {
      this.#exporting = null;
    }
  }
}

export const results = new ResultsState();

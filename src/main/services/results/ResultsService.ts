import type { CriticalErrorRate } from '../../../shared/annotations';
import type { AspectCell, ComparisonRow, ResultsFilter, ResultsGroupKey, TableFormat } from '../../../shared/results';
import { formatExport } from '../generations/formatExport';
import type { RateSource, RunRateRow } from '../../../shared/rates';
import { resultsAspects, resultsCompare, resultsCriticalErrors, resultsDpoPairs, resultsRates, resultsTable, type ResultsStore } from './results';

/** Results: aspect aggregates with CIs, critical-error rates, paired comparisons, paper tables, DPO pairs. */
export class ResultsService {
  constructor(private readonly store: ResultsStore) {}

  aspects(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): AspectCell[] {
    return resultsAspects(this.store, filter, groupBy);
  }

  criticalErrors(filter: ResultsFilter, source: 'human' | 'detector'): CriticalErrorRate[] {
    return resultsCriticalErrors(this.store, filter, source);
  }

  /** Per run × language: LPR and critical-error label rates with Wilson intervals (`align rates`). */
  rates(runIds: readonly number[], source: RateSource): RunRateRow[] {
    return resultsRates(this.store, runIds, source);
  }

  compare(request: Parameters<typeof resultsCompare>[1]): ComparisonRow[] {
    return resultsCompare(this.store, request);
  }

  table(request: { filter: ResultsFilter; groupBy: ResultsGroupKey[]; format: TableFormat }): { text: string; filename: string } {
    return resultsTable(this.store, request);
  }

  /** DPO preference pairs as TRL DPOTrainer JSONL, and how many. */
  dpoPairs(filter: ResultsFilter): { text: string; count: number } {
    const pairs = resultsDpoPairs(this.store, filter);
    return { text: formatExport(pairs, 'jsonl'), count: pairs.length };
  }
}

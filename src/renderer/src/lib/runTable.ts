/**
 * The Runs table as pure functions: columns, sorting, the filter, batches and the delete confirmation text.
 * No DOM, no runes: unit-tested, and the view only draws what these return.
 */
import type { RunDeletion, RunInfo } from '../../../shared/api';
import { FINISH_REASONS } from '../../../shared/domain';

export const RUN_COLUMNS = ['model', 'method', 'promptLang', 'dataset', 'done', 'finish', 'speed', 'status', 'created'] as const;
export type RunColumn = (typeof RUN_COLUMNS)[number];

export const COLUMN_TITLES: Record<RunColumn, string> = {
  model: 'Model',
  method: 'Method',
  promptLang: 'Prompt',
  dataset: 'Dataset',
  done: 'Done / total',
  finish: 'Finish reasons',
  speed: 'tok/s',
  status: 'Status',
  created: 'Created',
};

export interface RunSort {
  column: RunColumn;
  descending: boolean;
}

export const DEFAULT_SORT: RunSort = { column: 'created', descending: true };

/** "created-desc" ⇄ { column: 'created', descending: true }; anything unknown is the default. */
export function parseSort(param: string | undefined): RunSort {
  const m = /^([a-zA-Z]+)-(asc|desc)$/.exec(param ?? '');
  return m && (RUN_COLUMNS as readonly string[]).includes(m[1]!) ? { column: m[1] as RunColumn, descending: m[2] === 'desc' } : DEFAULT_SORT;
}

export function formatSort(sort: RunSort): string {
  return `${sort.column}-${sort.descending ? 'desc' : 'asc'}`;
}

/** Clicking a header: the same column flips its order, another column starts ascending (newest first for dates). */
export function nextSort(current: RunSort, column: RunColumn): RunSort {
  if (current.column === column) return { column, descending: !current.descending };
  return { column, descending: column === 'created' };
}

/** The live speed while generating, otherwise the run's mean. */
export function runSpeed(run: RunInfo): number | null {
  return run.status === 'running' && run.progress ? run.progress.tokensPerSecond : (run.tokensPerSecond ?? null);
}

/** done/total as a fraction (failed items count as done, as in the progress bar). */
function doneShare(run: RunInfo): number {
  const done = run.progress ? run.progress.done : run.done + run.failed;
  return run.total > 0 ? done / run.total : 0;
}

/** "stop 7 · max-tokens 3", in the protocol's finish-reason order; "–" without generations or data. */
export function finishMix(run: RunInfo): string {
  const mix = run.finishReasons ?? {};
  const parts = FINISH_REASONS.filter((r) => (mix[r] ?? 0) > 0).map((r) => `${r} ${mix[r]}`);
  return parts.length ? parts.join(' · ') : '–';
}

function sortValue(run: RunInfo, column: RunColumn): string | number {
  switch (column) {
    case 'model':
      return run.modelName ?? run.name;
    case 'method':
      return run.methodLabel;
    case 'promptLang':
      return run.promptLang ?? '';
    case 'dataset':
      return `${run.datasetName} (${run.lang})`;
    case 'done':
      return doneShare(run);
    case 'finish':
      return finishMix(run);
    case 'speed':
      return runSpeed(run) ?? -1;
    case 'status':
      return run.status;
    case 'created':
      return run.createdAt;
  }
}

/** A stable sort by one column; ties keep the newest run first. */
export function sortRuns(runs: readonly RunInfo[], sort: RunSort): RunInfo[] {
  const sign = sort.descending ? -1 : 1;
  return runs.slice().sort((a, b) => {
    const [x, y] = [sortValue(a, sort.column), sortValue(b, sort.column)];
    const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sign * order || b.id - a.id;
  });
}

/** Every word of `text` must occur in one of the run's columns (model, method, languages, dataset, status, name). */
export function filterRuns(runs: readonly RunInfo[], text: string): RunInfo[] {
  const words = text.toLowerCase().split(/\s+/).filter(Boolean);
  if (!words.length) return runs.slice();
  return runs.filter((run) => {
    const hay = [run.name, run.modelName ?? '', run.methodLabel, run.promptLang ?? '', run.datasetName, run.lang, run.status, `#${run.id}`]
      .join(' ')
      .toLowerCase();
    return words.every((w) => hay.includes(w));
  });
}

/** Runs created within this long of a batch's first run came from one "Create runs" (one cross product). */
const BATCH_SPAN_MS = 3_000;

export interface RunBatch {
  /** The first run's id: stable while runs are added to other batches. */
  key: number;
  createdAt: string;
  runs: RunInfo[];
}

/**
 * Groups runs into the batches they were created in, newest batch first, each batch's runs in `sort` order.
 * The store keeps no batch id, so a batch is the runs created within 3 s of its first one (one "Create runs"
 * creates its cross product in one go).
 */
export function batchRuns(runs: readonly RunInfo[], sort: RunSort): RunBatch[] {
  const byCreation = runs.slice().sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
  const batches: RunBatch[] = [];
  for (const run of byCreation) {
    const current = batches.at(-1);
    if (current && Date.parse(run.createdAt) - Date.parse(current.createdAt) < BATCH_SPAN_MS) current.runs.push(run);
    else batches.push({ key: run.id, createdAt: run.createdAt, runs: [run] });
  }
  return batches.reverse().map((b) => ({ ...b, runs: sortRuns(b.runs, sort) }));
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

/** The first confirmation: the run and everything that goes with it, by count. */
export function deletionText(d: RunDeletion): string {
  return (
    `Delete run #${d.runId} "${d.runName}" with its ${plural(d.generations, 'generation')}, ` +
    `${plural(d.judgements, 'judgement')}, ${plural(d.detections, 'detector result')} and ${plural(d.annotations, 'annotation')}? ` +
    'This cannot be undone.'
  );
}

/** The second confirmation, only for a run people annotated. */
export function annotationWarning(d: RunDeletion): string {
  return `People annotated this run: ${plural(d.annotations, 'annotation')} will be lost, and they cannot be generated again.`;
}

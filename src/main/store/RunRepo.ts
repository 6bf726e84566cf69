import { NotFound } from '../../shared/errors';
import type Database from 'better-sqlite3';
import type { FinishReason, Run, RunConfig, RunStatus } from '../../shared/domain';
import type { RunDeleteRequest, RunDeletion, RunSummary } from '../../shared/runs';
import { nowIso } from './time';

export interface NewRun {
  name: string;
  kind: Run['kind'];
  modelId: number | null;
  datasetId: number;
  config: RunConfig | null;
  method: Record<string, string>;
  environment: Record<string, string>;
  status: RunStatus;
  itemIds: string[];
}

interface RunRow {
  id: number;
  name: string;
  kind: Run['kind'];
  model_id: number | null;
  dataset_id: number;
  config_json: string | null;
  method_json: string;
  environment_json: string;
  status: RunStatus;
  error: string | null;
  total: number;
  created_at: string;
  done: number;
}

export type RunRecord = Run & { modelId: number | null; datasetId: number; method: Record<string, string> };

const SELECT_RUN = `SELECT r.*, (SELECT count(*) FROM generations g WHERE g.run_id = r.id) AS done FROM runs r`;

export class RunRepo {
  constructor(private readonly db: Database.Database) {}

  /** Creates the run and freezes its item list, in one transaction. */
  insert(run: NewRun): RunRecord {
    const addItem = this.db.prepare('INSERT INTO run_items (run_id, position, item_id) VALUES (?, ?, ?)');
    return this.db.transaction(() => {
      const now = nowIso();
      const { id } = this.db
        .prepare<unknown[], { id: number }>(
          `INSERT INTO runs (name, kind, model_id, dataset_id, config_json, method_json, environment_json, status, total,
             created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(
          run.name,
          run.kind,
          run.modelId,
          run.datasetId,
          run.config ? JSON.stringify(run.config) : null,
          JSON.stringify(run.method),
          JSON.stringify(run.environment),
          run.status,
          run.itemIds.length,
          now,
          now,
        )!;
      run.itemIds.forEach((itemId, position) => addItem.run(id, position, itemId));
      return this.get(id)!;
    })();
  }

  get(id: number): RunRecord | undefined {
    const row = this.db.prepare<[number], RunRow>(`${SELECT_RUN} WHERE r.id = ?`).get(id);
    return row && toRun(row);
  }

  list(): RunRecord[] {
    return this.db.prepare<[], RunRow>(`${SELECT_RUN} ORDER BY r.id`).all().map(toRun);
  }

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    this.db.prepare('UPDATE runs SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(status, error, nowIso(), id);
  }

  /** Records what the run was actually executed with (library versions, resolved context size…). */
  mergeEnvironment(id: number, extra: Record<string, string>): void {
    const run = this.get(id);
    if (!run) return;
    this.db
      .prepare('UPDATE runs SET environment_json = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify({ ...run.environment, ...extra }), nowIso(), id);
  }

  /**
   * Deletes a run and, through the schema's ON DELETE CASCADE, its items, generations, detections, judge calls,
   * judgements and annotations; with `dryRun` only counts them. Refused while the run is running (its executor
   * would write into a vanished run) and, without `confirm: 'annotations'`, when people annotated it.
   */
  delete({ runId, dryRun, confirm }: RunDeleteRequest): RunDeletion {
    return this.db.transaction(() => {
      const run = this.get(runId);
      if (!run) throw new NotFound(`There is no run ${runId}. List the runs with runs.list.`);
      const counts = this.db
        .prepare<[number], Omit<RunDeletion, 'runId' | 'runName' | 'deleted'>>(
          `SELECT count(*) AS generations,
             coalesce(sum((SELECT count(*) FROM judgements j WHERE j.generation_id = g.id)), 0) AS judgements,
             coalesce(sum((SELECT count(*) FROM annotations a WHERE a.generation_id = g.id AND a.superseded_at IS NULL)), 0) AS annotations,
             coalesce(sum((SELECT count(*) FROM detections d WHERE d.generation_id = g.id)), 0) AS detections
           FROM generations g WHERE g.run_id = ?`,
        )
        .get(runId)!;
      const result: RunDeletion = { runId, runName: run.name, deleted: false, ...counts };
      if (dryRun) return result;
      if (run.status === 'running') {
        throw new Error(`Run ${runId} "${run.name}" is running: pause or cancel it first, then delete it.`);
      }
      if (counts.annotations > 0 && confirm !== 'annotations') {
        throw new Error(
          `Run ${runId} "${run.name}" has ${counts.annotations} annotation(s), which cannot be made again: ` +
            `send confirm: "annotations" to delete them with the run.`,
        );
      }
      this.db.prepare('DELETE FROM runs WHERE id = ?').run(runId);
      return { ...result, deleted: true };
    })();
  }

  /** The run table's columns that come from the generations: the finish-reason mix and the mean speed. */
  summary(runId: number): RunSummary {
    const mix = this.db
      .prepare<[number], { finish_reason: FinishReason; n: number }>(
        'SELECT finish_reason, count(*) AS n FROM generations WHERE run_id = ? GROUP BY finish_reason ORDER BY finish_reason',
      )
      .all(runId);
    const { tps } = this.db
      .prepare<[number], { tps: number | null }>('SELECT avg(tokens_per_second) AS tps FROM generations WHERE run_id = ?')
      .get(runId)!;
    return { finishReasons: Object.fromEntries(mix.map((r) => [r.finish_reason, r.n])), tokensPerSecond: tps };
  }

  /** The run's planned item ids, in order. */
  itemIds(id: number): string[] {
    return this.db
      .prepare<[number], { item_id: string }>('SELECT item_id FROM run_items WHERE run_id = ? ORDER BY position')
      .all(id)
      .map((r) => r.item_id);
  }
}

function toRun(r: RunRow): RunRecord {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    modelId: r.model_id,
    datasetId: r.dataset_id,
    config: r.config_json ? (JSON.parse(r.config_json) as RunConfig) : null,
    method: JSON.parse(r.method_json) as Record<string, string>,
    environment: JSON.parse(r.environment_json) as Record<string, string>,
    status: r.status,
    error: r.error,
    total: r.total,
    done: r.done,
    createdAt: r.created_at,
  };
}

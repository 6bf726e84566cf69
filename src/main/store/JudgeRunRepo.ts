import type Database from 'better-sqlite3';
import type { RunStatus } from '../../shared/domain';
import type { JudgeRunConfig } from '../../shared/judging';
import { nowIso } from './time';

interface JudgeRunRow {
  id: number;
  name: string;
  judge_id: number;
  config_json: string;
  environment_json: string;
  status: RunStatus;
  error: string | null;
  total: number;
  created_at: string;
}

export interface JudgeRunRecord {
  id: number;
  name: string;
  judgeId: number;
  config: JudgeRunConfig;
  environment: Record<string, string>;
  status: RunStatus;
  error: string | null;
  /** Judge calls planned: generations × repeats (refreshed when the run starts, as its generation runs may have grown). */
  total: number;
  createdAt: string;
}

/** Judge runs (migration 0006): what to judge, with which judge and settings, and how far it got. */
export class JudgeRunRepo {
  constructor(private readonly db: Database.Database) {}

  insert(run: { name: string; judgeId: number; config: JudgeRunConfig; environment: Record<string, string>; total: number }): JudgeRunRecord {
    const now = nowIso();
    const { id } = this.db
      .prepare<unknown[], { id: number }>(
        `INSERT INTO judge_runs (name, judge_id, config_json, environment_json, status, total, created_at, updated_at)
         VALUES (?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING id`,
      )
      .get(run.name, run.judgeId, JSON.stringify(run.config), JSON.stringify(run.environment), run.total, now, now)!;
    return this.get(id)!;
  }

  /**
   * The unfinished judge run (pending, running or interrupted) with exactly this judge and config, else a new
   * one: the same `judge` command after a crash resumes its run, and one running elsewhere is found (and its
   * start refused) instead of being duplicated. One IMMEDIATE transaction, so two processes asking at once get
   * one run between them.
   */
  findOrInsert(run: Parameters<JudgeRunRepo['insert']>[0]): { run: JudgeRunRecord; created: boolean } {
    return this.db
      .transaction(() => {
        const found = this.db
          .prepare<[number, string], { id: number }>(
            `SELECT id FROM judge_runs WHERE judge_id = ? AND config_json = ? AND status IN ('pending', 'running', 'interrupted') ORDER BY id DESC LIMIT 1`,
          )
          .get(run.judgeId, JSON.stringify(run.config));
        return found ? { run: this.get(found.id)!, created: false } : { run: this.insert(run), created: true };
      })
      .immediate();
  }

  get(id: number): JudgeRunRecord | undefined {
    const row = this.db.prepare<[number], JudgeRunRow>('SELECT * FROM judge_runs WHERE id = ?').get(id);
    return row && toJudgeRun(row);
  }

  list(): JudgeRunRecord[] {
    return this.db.prepare<[], JudgeRunRow>('SELECT * FROM judge_runs ORDER BY id').all().map(toJudgeRun);
  }

  setStatus(id: number, status: RunStatus, error: string | null = null): void {
    this.db.prepare('UPDATE judge_runs SET status = ?, error = ?, updated_at = ? WHERE id = ?').run(status, error, nowIso(), id);
  }

  setTotal(id: number, total: number): void {
    this.db.prepare('UPDATE judge_runs SET total = ?, updated_at = ? WHERE id = ?').run(total, nowIso(), id);
  }

  /** Records what the run was executed with (judge library versions, the server's model name…). */
  mergeEnvironment(id: number, extra: Record<string, string>): void {
    this.db
      .prepare('UPDATE judge_runs SET environment_json = json_patch(environment_json, ?), updated_at = ? WHERE id = ?')
      .run(JSON.stringify(extra), nowIso(), id);
  }
}

function toJudgeRun(r: JudgeRunRow): JudgeRunRecord {
  return {
    id: r.id,
    name: r.name,
    judgeId: r.judge_id,
    config: JSON.parse(r.config_json) as JudgeRunConfig,
    environment: JSON.parse(r.environment_json) as Record<string, string>,
    status: r.status,
    error: r.error,
    total: r.total,
    createdAt: r.created_at,
  };
}

import type Database from 'better-sqlite3';
import type { WorkbenchProgress } from '../../shared/app';

/** How far the user has come through the workflow, for the welcome screen's ticks: a few counts. */
export class ProgressRepo {
  constructor(private readonly db: Database.Database) {}

  counts(): WorkbenchProgress {
    return this.db
      .prepare<[], WorkbenchProgress>(
        `SELECT (SELECT count(*) FROM models) AS models,
                (SELECT count(*) FROM datasets) AS datasets,
                (SELECT count(*) FROM runs WHERE status = 'done') AS finishedRuns,
                (SELECT count(*) FROM annotations WHERE superseded_at IS NULL) AS annotations,
                (SELECT count(*) FROM judge_calls) AS judgeCalls`,
      )
      .get()!;
  }
}

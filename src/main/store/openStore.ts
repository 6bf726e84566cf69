import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { cachePreparedStatements } from './cachePreparedStatements';
import { migrate } from './migrate';
import { resolveSqliteNativeBinding } from './nativeBinding';
import { AnnotationPackageRepo } from './AnnotationPackageRepo';
import { AnnotationRepo } from './AnnotationRepo';
import { DatasetRepo } from './DatasetRepo';
import { DetectionRepo } from './DetectionRepo';
import { DownloadRepo } from './DownloadRepo';
import { FamilyRepo } from './FamilyRepo';
import { FileHashRepo } from './FileHashRepo';
import { GenerationQueryRepo } from './GenerationQueryRepo';
import { GenerationRepo } from './GenerationRepo';
import { JudgementRepo } from './JudgementRepo';
import { JudgeRepo } from './JudgeRepo';
import { JudgeRunRepo } from './JudgeRunRepo';
import { LeaseRepo } from './LeaseRepo';
import { ModelRepo } from './ModelRepo';
import { ResultsRepo } from './ResultsRepo';
import { ProgressRepo } from './ProgressRepo';
import { RubricRepo } from './RubricRepo';
import { RunRepo } from './RunRepo';
import { SettingsRepo } from './SettingsRepo';

export interface Store {
  readonly db: Database.Database;
  readonly path: string;
  readonly models: ModelRepo;
  readonly families: FamilyRepo;
  readonly fileHashes: FileHashRepo;
  readonly datasets: DatasetRepo;
  readonly runs: RunRepo;
  readonly generations: GenerationRepo;
  readonly reader: GenerationQueryRepo;
  readonly detections: DetectionRepo;
  readonly annotations: AnnotationRepo;
  readonly annotationPackages: AnnotationPackageRepo;
  readonly judges: JudgeRepo;
  readonly rubrics: RubricRepo;
  readonly judgeRuns: JudgeRunRepo;
  readonly judgements: JudgementRepo;
  readonly results: ResultsRepo;
  readonly downloads: DownloadRepo;
  readonly settings: SettingsRepo;
  /** Run ownership: who works on which run, judge run or download (migration 0010). */
  readonly leases: LeaseRepo;
  /** Runs `work` in one transaction: every write in it lands, or none does. */
  transaction<T>(work: () => T): T;
  readonly progress: ProgressRepo;
  close(): void;
}

/** Opens (creating if needed) the SQLite store at `path` (":memory:" for tests) and migrates it. */
export function openStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, { nativeBinding: resolveSqliteNativeBinding() });
  // WAL: readers never block the writer, and a commit survives the process being killed.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  cachePreparedStatements(db);
  return {
    db,
    path,
    models: new ModelRepo(db),
    families: new FamilyRepo(db),
    fileHashes: new FileHashRepo(db),
    datasets: new DatasetRepo(db),
    runs: new RunRepo(db),
    generations: new GenerationRepo(db),
    reader: new GenerationQueryRepo(db),
    detections: new DetectionRepo(db),
    annotations: new AnnotationRepo(db),
    annotationPackages: new AnnotationPackageRepo(db),
    judges: new JudgeRepo(db),
    rubrics: new RubricRepo(db),
    judgeRuns: new JudgeRunRepo(db),
    judgements: new JudgementRepo(db),
    results: new ResultsRepo(db),
    downloads: new DownloadRepo(db),
    settings: new SettingsRepo(db),
    leases: new LeaseRepo(db),
    transaction: (work) => db.transaction(work)(),
    progress: new ProgressRepo(db),
    close: () => db.close(),
  };
}


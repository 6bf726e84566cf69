import m0001 from './0001_initial';
import m0002 from './0002_reader';
import m0003 from './0003_detections';
import m0004 from './0004_finish_reason_loop';
import m0005 from './0005_annotations';

/** SQL, or SQL that rebuilds a table and so must run with foreign keys off (see migrate.ts). */
export type Migration = string | { sql: string; rebuildsTables: true };

/** Ordered; the position + 1 is the schema version stored in PRAGMA user_version. */
export const MIGRATIONS: readonly Migration[] = [m0001, m0002, m0003, { sql: m0004, rebuildsTables: true }, m0005];

import m0001 from './0001_initial';
import m0002 from './0002_reader';
import m0003 from './0003_detections';
import m0004 from './0004_finish_reason_loop';
import m0005 from './0005_annotations';
import m0006 from './0006_judging';
import m0007 from './0007_model_library';
import m0008 from './0008_downloads';
import m0009 from './0009_na_kinds';
import m0010 from './0010_leases';
import m0011 from './0011_annotation_packages';
import m0012 from './0012_judgement_means';

/** SQL, or SQL that rebuilds a table and so must run with foreign keys off (see migrate.ts). */
export type Migration = string | { sql: string; rebuildsTables: true };

/** Ordered; the position + 1 is the schema version stored in PRAGMA user_version. */
export const MIGRATIONS: readonly Migration[] = [
  m0001,
  m0002,
  m0003,
  { sql: m0004, rebuildsTables: true },
  m0005,
  m0006,
  m0007,
  m0008,
  m0009,
  { sql: m0010, rebuildsTables: true },
  m0011,
  m0012,
];

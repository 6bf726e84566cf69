import m0001 from './0001_initial';
import m0002 from './0002_reader';
import m0003 from './0003_detections';

/** Ordered; the position + 1 is the schema version stored in PRAGMA user_version. */
export const MIGRATIONS: readonly string[] = [m0001, m0002, m0003];

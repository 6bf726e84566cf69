import m0001 from './0001_initial';

/** Ordered; the position + 1 is the schema version stored in PRAGMA user_version. */
export const MIGRATIONS: readonly string[] = [m0001];

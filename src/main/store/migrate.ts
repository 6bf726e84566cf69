import type Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

/**
 * Brings the schema to the latest version, one transaction per migration, tracked in PRAGMA user_version.
 * A database newer than this code is refused rather than silently misread.
 */
export function migrate(db: Database.Database, migrations: readonly string[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database schema is version ${current}, newer than this app supports (${migrations.length}). Update Align Workbench.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    db.transaction(() => {
      db.exec(migrations[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
  return migrations.length;
}

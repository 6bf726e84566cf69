import type Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations';

/**
 * Brings the schema to the latest version, one transaction per migration, tracked in PRAGMA user_version.
 * A database newer than this code is refused rather than silently misread.
 *
 * A migration that rebuilds a table (SQLite cannot alter a CHECK constraint) runs with foreign keys off, as
 * SQLite's documented procedure requires: otherwise dropping the old table would cascade-delete every row
 * that references it. The foreign keys are checked before its transaction commits.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new Error(
      `The database schema is version ${current}, newer than this app supports (${migrations.length}). Update Align Workbench.`,
    );
  }
  for (let version = current; version < migrations.length; version++) {
    const migration = migrations[version]!;
    const { sql, rebuildsTables } = typeof migration === 'string' ? { sql: migration, rebuildsTables: false } : migration;
    const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
    // PRAGMA foreign_keys is a no-op inside a transaction: switch it before.
    if (rebuildsTables) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(sql);
        if (rebuildsTables) {
          const broken = db.pragma('foreign_key_check') as unknown[];
          if (broken.length > 0) throw new Error(`Migration ${version + 1} would break ${broken.length} foreign key reference(s).`);
        }
        db.pragma(`user_version = ${version + 1}`);
      })();
    } finally {
      if (rebuildsTables) db.pragma(`foreign_keys = ${foreignKeys ? 'ON' : 'OFF'}`);
    }
  }
  return migrations.length;
}

import type Database from 'better-sqlite3';

/** App settings as JSON values by key; callers validate what they read (a hand-edited store is possible). */
export class SettingsRepo {
  constructor(private readonly db: Database.Database) {}

  get(key: string): unknown {
    const row = this.db.prepare<[string], { value_json: string }>('SELECT value_json FROM settings WHERE key = ?').get(key);
    return row ? (JSON.parse(row.value_json) as unknown) : undefined;
  }

  set(key: string, value: unknown): void {
    this.db
      .prepare('INSERT INTO settings (key, value_json) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value_json = excluded.value_json')
      .run(key, JSON.stringify(value));
  }
}

import type Database from 'better-sqlite3';
import type { ModelFamily } from '../../shared/domain';
import { nowIso } from './time';

interface FamilyRow {
  id: number;
  name: string;
  created_at: string;
}

/** Model families (base / SFT / DPO variants of one model); membership and roles live on `models`. */
export class FamilyRepo {
  constructor(private readonly db: Database.Database) {}

  create(name: string): ModelFamily {
    if (this.byName(name)) throw new Error(`A family named "${name}" already exists. Pick another name, or assign models to it.`);
    const row = this.db
      .prepare<[string, string], FamilyRow>('INSERT INTO model_families (name, created_at) VALUES (?, ?) RETURNING *')
      .get(name, nowIso());
    return toFamily(row!);
  }

  get(id: number): ModelFamily | undefined {
    const row = this.db.prepare<[number], FamilyRow>('SELECT * FROM model_families WHERE id = ?').get(id);
    return row && toFamily(row);
  }

  byName(name: string): ModelFamily | undefined {
    const row = this.db.prepare<[string], FamilyRow>('SELECT * FROM model_families WHERE name = ?').get(name);
    return row && toFamily(row);
  }

  list(): ModelFamily[] {
    return this.db.prepare<[], FamilyRow>('SELECT * FROM model_families ORDER BY name').all().map(toFamily);
  }

  /** Deletes the family; its members stay in the library, unassigned (family and role both cleared). */
  remove(id: number): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE models SET family_id = NULL, role = NULL WHERE family_id = ?').run(id);
      this.db.prepare('DELETE FROM model_families WHERE id = ?').run(id);
    })();
  }
}

function toFamily(r: FamilyRow): ModelFamily {
  return { id: r.id, name: r.name, createdAt: r.created_at };
}

import type Database from 'better-sqlite3';
import type { ModelInfo, ModelRole } from '../../shared/domain';
import { nowIso } from './time';

/** Family and role are assigned separately (`setFamily`): adding or refreshing a file never changes them. */
export type NewModel = Omit<ModelInfo, 'id' | 'addedAt' | 'familyId' | 'role'>;

interface ModelRow {
  id: number;
  path: string;
  name: string;
  sha256: string;
  size_bytes: number;
  architecture: string | null;
  parameter_count: number | null;
  quantization: string | null;
  train_context_size: number | null;
  chat_template: string | null;
  runnable: number;
  metadata_json: string;
  added_at: string;
  family_id: number | null;
  role: ModelRole | null;
}

export class ModelRepo {
  constructor(private readonly db: Database.Database) {}

  /** Adds a model, or refreshes the record when the same path is added again (the file may have changed). */
  upsert(model: NewModel): ModelInfo {
    const row = this.db
      .prepare<unknown[], ModelRow>(
        `INSERT INTO models (path, name, sha256, size_bytes, architecture, parameter_count, quantization,
           train_context_size, chat_template, runnable, metadata_json, added_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET name = excluded.name, sha256 = excluded.sha256, size_bytes = excluded.size_bytes,
           architecture = excluded.architecture, parameter_count = excluded.parameter_count,
           quantization = excluded.quantization, train_context_size = excluded.train_context_size,
           chat_template = excluded.chat_template, runnable = excluded.runnable, metadata_json = excluded.metadata_json
         RETURNING *`,
      )
      .get(
        model.path,
        model.name,
        model.sha256,
        model.sizeBytes,
        model.architecture,
        model.parameterCount,
        model.quantization,
        model.trainContextSize,
        model.chatTemplate,
        model.runnable ? 1 : 0,
        JSON.stringify(model.metadata),
        nowIso(),
      );
    return toModel(row!);
  }

  get(id: number): ModelInfo | undefined {
    const row = this.db.prepare<[number], ModelRow>('SELECT * FROM models WHERE id = ?').get(id);
    return row && toModel(row);
  }

  byPath(path: string): ModelInfo | undefined {
    const row = this.db.prepare<[string], ModelRow>('SELECT * FROM models WHERE path = ?').get(path);
    return row && toModel(row);
  }

  list(): ModelInfo[] {
    return this.db.prepare<[], ModelRow>('SELECT * FROM models ORDER BY id').all().map(toModel);
  }

  /** Records the file's sha256 once the background hash is done. */
  setSha256(id: number, sha256: string): void {
    this.db.prepare('UPDATE models SET sha256 = ? WHERE id = ?').run(sha256, id);
  }

  /** Points a model at its file's new location (the caller checked it is the same file). */
  setPath(id: number, path: string): ModelInfo {
    const row = this.db.prepare<[string, number], ModelRow>('UPDATE models SET path = ? WHERE id = ? RETURNING *').get(path, id);
    if (!row) throw new Error(`No model with id ${id}.`);
    return toModel(row);
  }

  /** Puts a model in a family with a role, or takes it out (null): the two always go together. */
  setFamily(id: number, family: { familyId: number; role: ModelRole } | null): ModelInfo {
    const row = this.db
      .prepare<[number | null, string | null, number], ModelRow>('UPDATE models SET family_id = ?, role = ? WHERE id = ? RETURNING *')
      .get(family?.familyId ?? null, family?.role ?? null, id);
    if (!row) throw new Error(`No model with id ${id}.`);
    return toModel(row);
  }

  members(familyId: number): ModelInfo[] {
    return this.db.prepare<[number], ModelRow>('SELECT * FROM models WHERE family_id = ? ORDER BY id').all(familyId).map(toModel);
  }

  /** Runs and judges that point at this model: while any exist, its record must stay. */
  usage(id: number): { runs: number; judges: number } {
    const count = (sql: string) => this.db.prepare<[number], { n: number }>(sql).get(id)!.n;
    return {
      runs: count('SELECT count(*) AS n FROM runs WHERE model_id = ?'),
      judges: count('SELECT count(*) AS n FROM judges WHERE model_id = ?'),
    };
  }

  remove(id: number): void {
    this.db.prepare('DELETE FROM models WHERE id = ?').run(id);
  }
}

function toModel(r: ModelRow): ModelInfo {
  return {
    id: r.id,
    path: r.path,
    name: r.name,
    sha256: r.sha256,
    sizeBytes: r.size_bytes,
    architecture: r.architecture,
    parameterCount: r.parameter_count,
    quantization: r.quantization,
    trainContextSize: r.train_context_size,
    chatTemplate: r.chat_template,
    runnable: r.runnable === 1,
    metadata: JSON.parse(r.metadata_json) as Record<string, unknown>,
    addedAt: r.added_at,
    familyId: r.family_id,
    role: r.role,
  };
}

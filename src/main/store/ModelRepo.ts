import type Database from 'better-sqlite3';
import type { ModelInfo } from '../../shared/domain';
import { nowIso } from './time';

export type NewModel = Omit<ModelInfo, 'id' | 'addedAt'>;

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
  };
}

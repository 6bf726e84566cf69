import type Database from 'better-sqlite3';
import type { Lang } from '../../shared/domain';
import type { Aspect, RubricInfo, RubricKind, RubricPrompt } from '../../shared/judging';
import type { RubricPromptSource } from '../../shared/rubricSources';
import { nowIso } from './time';

interface RubricRow {
  version: string;
  name: string;
  kind: RubricKind;
  aspects_json: string;
  prompts_json: string;
  builtin: number;
  parent: string | null;
  created_at: string;
  prompt_source: RubricPromptSource;
}

/** What a built-in rubric declares (its createdAt is fixed, so the built-in rows are identical on every install). */
export type BuiltinRubric = Pick<RubricInfo, 'version' | 'name' | 'kind' | 'aspects' | 'prompts' | 'createdAt'>;

/**
 * Versioned judge rubrics (migration 0006). A stored rubric is never changed: an edit is a new row whose
 * version is `<name>@<n>` and whose parent is the rubric it was copied from, so every judgement keeps pointing
 * at the exact prompt it was made with.
 */
export class RubricRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Stores the built-in rubrics that are missing (idempotent: run on every open). A built-in whose text differs
   * from the stored row of the same version is a programming error (the text changed without a new version,
   * which would silently mix judgements of two prompts under one version): refused loudly.
   */
  seed(builtins: readonly BuiltinRubric[]): void {
    this.db.transaction(() => {
      for (const b of builtins) {
        const stored = this.get(b.version);
        if (!stored) {
          this.#insert({ ...b, builtin: true, parent: null });
          continue;
        }
        if (JSON.stringify([stored.kind, stored.aspects, stored.prompts]) !== JSON.stringify([b.kind, b.aspects, b.prompts]))
          throw new Error(`Built-in rubric "${b.version}" differs from the stored rubric of the same version: give the changed rubric a new version.`);
      }
    })();
  }

  get(version: string): RubricInfo | undefined {
    const row = this.db.prepare<[string], RubricRow>('SELECT * FROM rubrics WHERE version = ?').get(version);
    return row && toRubric(row);
  }

  list(): RubricInfo[] {
    return this.db.prepare<[], RubricRow>('SELECT * FROM rubrics ORDER BY builtin DESC, name, created_at, version').all().map(toRubric);
  }

  /**
   * Saves an edited copy of `from` as a new version `<base>@<n>`: base = the original's (e.g. just-eval-aspects)
   * or, when the copy is given a name, that name in lowercase-dash form; n = the next free number. Kind and
   * aspects are the original's (they decide how replies are parsed); the English prompt must stay.
   */
  saveCopy(from: string, edit: { name?: string; prompts: Record<Lang, RubricPrompt> }): RubricInfo {
    return this.db.transaction(() => {
      const original = this.get(from);
      if (!original) throw new Error(`No rubric with version "${from}". List them with rubrics.list.`);
      if (original.promptSource === 'just-eval-official')
        throw new Error(`Rubric "${from}" is the original Just-Eval judge, read from the official files: copy "just-eval-aspects@1" or "just-eval-safety@1" (our adaptation) to edit a prompt.`);
      if (!edit.prompts.en) throw new Error(`Rubric "${from}": the English prompt is required (it is used when no translation exists).`);
      const name = edit.name?.trim() || original.name;
      const base = edit.name?.trim() ? slug(name) : original.version.replace(/@\d+$/, '');
      if (!base) throw new Error(`Rubric name "${name}" needs at least one letter or digit.`);
      const version = `${base}@${this.#nextNumber(base)}`;
      this.#insert({ version, name, kind: original.kind, aspects: original.aspects, prompts: edit.prompts, builtin: false, parent: original.version, createdAt: nowIso() });
      return this.get(version)!;
    })();
  }

  /** 1 + the highest n of the stored versions "<base>@<n>". */
  #nextNumber(base: string): number {
    const versions = this.db.prepare<[], { version: string }>('SELECT version FROM rubrics').all();
    const numbers = versions.flatMap((v) => {
      const at = v.version.lastIndexOf('@');
      return at !== -1 && v.version.slice(0, at) === base ? [Number(v.version.slice(at + 1)) || 0] : [];
    });
    return Math.max(0, ...numbers) + 1;
  }

  #insert(r: BuiltinRubric & { builtin: boolean; parent: string | null }): void {
    this.db
      .prepare('INSERT INTO rubrics (version, name, kind, aspects_json, prompts_json, builtin, parent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(r.version, r.name, r.kind, JSON.stringify(r.aspects), JSON.stringify(r.prompts), r.builtin ? 1 : 0, r.parent, r.createdAt);
  }
}

/** "My strict rubric!" → "my-strict-rubric": a version is typed on command lines. */
function slug(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function toRubric(r: RubricRow): RubricInfo {
  return {
    version: r.version,
    name: r.name,
    kind: r.kind,
    aspects: JSON.parse(r.aspects_json) as Aspect[],
    prompts: JSON.parse(r.prompts_json) as Record<Lang, RubricPrompt>,
    builtin: r.builtin === 1,
    parent: r.parent,
    createdAt: r.created_at,
    // Only the exception is spelled out: a stored prompt is what every rubric before migration 0009 had.
    ...(r.prompt_source !== 'stored' ? { promptSource: r.prompt_source } : {}),
  };
}

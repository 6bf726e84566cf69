import { basename } from 'node:path';
import { InputError } from '../../../shared/errors';

export interface DatasetErrorInit {
  /** Path of the file being read (kept in full on the error; the message shows only the base name). */
  file: string;
  /** 1-based line in the file where the problem starts, or null when it is not tied to a line. */
  line?: number | null;
  /** Source field (column / key) involved, or null. */
  field?: string | null;
  /** What is wrong, without a final period, e.g. `invalid JSON (Unexpected token …)`. */
  problem: string;
  /** What to do about it, as a sentence, e.g. `Fix the line or remove it.` */
  fix: string;
}

/**
 * Raised by every reader of this module. A file is imported all-or-nothing, so the first problem aborts the
 * read; the message must then be enough on its own for the researcher to fix the file:
 *
 *   `just_eval.jsonl:312: invalid JSON (Unexpected token …). Fix the line or remove it.`
 *
 * `problem` and `fix` are also kept apart so a UI can lay them out differently.
 */
export class DatasetError extends InputError {
  override readonly name = 'DatasetError';
  readonly file: string;
  readonly line: number | null;
  readonly field: string | null;
  readonly problem: string;
  readonly fix: string;

  constructor(init: DatasetErrorInit) {
    const line = init.line ?? null;
    const where = line === null ? basename(init.file) : `${basename(init.file)}:${line}`;
    super(`${where}: ${init.problem}. ${init.fix}`);
    this.file = init.file;
    this.line = line;
    this.field = init.field ?? null;
    this.problem = init.problem;
    this.fix = init.fix;
  }
}

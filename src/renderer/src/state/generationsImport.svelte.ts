import type { RunInfo } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

/**
 * Importing outputs made elsewhere (just-eval's to_eval.json shape: id, instruction, output, generator…) as a run,
 * optionally joined by id to a dataset's items so their category, task types and difficulty are known. The
 * backend refuses an unknown id or a different instruction, naming the item; the message is shown verbatim.
 */
export class GenerationsImportState {
  path = $state('');
  lang = $state('en');
  name = $state('');
  /** Id (as a string, for the select) of the dataset to join, or '' for a new dataset of the file's instructions. */
  dataset = $state('');
  #importing = $state(false);
  #error = $state<string | null>(null);
  #imported = $state.raw<RunInfo | null>(null);

  get importing(): boolean {
    return this.#importing;
  }
  get error(): string | null {
    return this.#error;
  }
  get imported(): RunInfo | null {
    return this.#imported;
  }

  async import(): Promise<RunInfo | null> {
    const problems: string[] = [];
    if (!this.path.trim()) problems.push('Type the path of an outputs file (JSON, JSONL or CSV with id, instruction, output).');
    if (!/^[a-z]{2,3}(-[a-z0-9]+)?$/.test(this.lang.trim())) problems.push(`Language "${this.lang}" is not an ISO 639 code such as en, fr, es.`);
    if (problems.length) {
      this.#error = problems.join('\n');
      return null;
    }
    this.#importing = true;
    this.#error = null;
    this.#imported = null;
    try {
      const run = await api.call('generations.import', {
        path: this.path.trim(),
        lang: this.lang.trim(),
        name: this.name.trim() || undefined,
        dataset: this.dataset || undefined,
      });
      this.#imported = run;
      this.path = '';
      this.name = '';
      return run;
    } catch (err) {
      this.#error = errorText(err);
      return null;
    } finally {
      this.#importing = false;
    }
  }
}

export const generationsImport = new GenerationsImportState();

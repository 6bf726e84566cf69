import { SvelteSet } from 'svelte/reactivity';
import type { DatasetInfo, DatasetPreview } from '../../../shared/api';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

export const COMMON_LANGS = ['en', 'fr', 'es'] as const;
/** The value of the language select that reveals the free-text box. */
export const OTHER_LANG = 'other';

/**
 * Datasets: the list, the import form (with preview), and linking datasets as parallel translations.
 * Import errors come back from the backend with file:line and are shown verbatim.
 */
export class DatasetsState {
  #datasets = $state.raw<DatasetInfo[]>([]);
  #loaded = $state(false);
  #listError = $state<string | null>(null);
  #preview = $state.raw<DatasetPreview | null>(null);
  #previewError = $state<string | null>(null);
  #previewing = $state(false);
  #importing = $state(false);
  #importError = $state<string | null>(null);
  #imported = $state.raw<DatasetInfo | null>(null);
  #linking = $state(false);
  #linkError = $state<string | null>(null);

  // IMPORT FORM
  path = $state('');
  /** en, fr, es, or OTHER_LANG (then `otherLang` holds the code). */
  langChoice = $state<string>('en');
  otherLang = $state('');
  name = $state('');
  idField = $state('');
  instructionField = $state('');
  delimiter = $state('');
  /** Id (as a string, for the select) of the dataset this one translates, or ''. */
  parallelWith = $state('');

  /** Datasets ticked in the list, to link as parallel. */
  readonly selected = new SvelteSet<number>();

  get datasets(): DatasetInfo[] {
    return this.#datasets;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get preview(): DatasetPreview | null {
    return this.#preview;
  }
  get previewError(): string | null {
    return this.#previewError;
  }
  get previewing(): boolean {
    return this.#previewing;
  }
  get importing(): boolean {
    return this.#importing;
  }
  get importError(): string | null {
    return this.#importError;
  }
  get imported(): DatasetInfo | null {
    return this.#imported;
  }
  get linking(): boolean {
    return this.#linking;
  }
  get linkError(): string | null {
    return this.#linkError;
  }

  get lang(): string {
    return (this.langChoice === OTHER_LANG ? this.otherLang : this.langChoice).trim().toLowerCase();
  }

  /** Every language present, for filters. */
  get langs(): string[] {
    return [...new Set(this.#datasets.map((d) => d.lang))].sort();
  }
  get categories(): string[] {
    return [...new Set(this.#datasets.flatMap((d) => d.categories))].sort();
  }
  get taskTypes(): string[] {
    return [...new Set(this.#datasets.flatMap((d) => d.taskTypes))].sort();
  }

  byId(id: number | null | undefined): DatasetInfo | undefined {
    return id == null ? undefined : this.#datasets.find((d) => d.id === id);
  }

  init(): void {
    if (!this.#loaded) void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.#datasets = await api.call('datasets.list', {});
      this.#listError = null;
      for (const id of this.selected) if (!this.byId(id)) this.selected.delete(id);
    } catch (err) {
      this.#listError = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  #fields() {
    const optional = (s: string) => (s.trim() ? s.trim() : undefined);
    return {
      path: this.path.trim(),
      idField: optional(this.idField),
      instructionField: optional(this.instructionField),
      // The delimiter is not trimmed: a tab is a legitimate delimiter. "\t" typed as two characters means tab.
      delimiter: this.delimiter === '' ? undefined : this.delimiter === '\\t' ? '\t' : this.delimiter,
    };
  }

  async loadPreview(): Promise<void> {
    const fields = this.#fields();
    if (!fields.path) {
      this.#previewError = 'Type the path of a JSONL, JSON or CSV file first.';
      return;
    }
    this.#previewing = true;
    this.#previewError = null;
    try {
      this.#preview = await api.call('datasets.preview', fields);
    } catch (err) {
      this.#preview = null;
      this.#previewError = errorText(err);
    } finally {
      this.#previewing = false;
    }
  }

  async import(): Promise<DatasetInfo | null> {
    const fields = this.#fields();
    const problems: string[] = [];
    if (!fields.path) problems.push('Type the path of a JSONL, JSON or CSV file.');
    if (!/^[a-z]{2,3}(-[a-z0-9]+)?$/.test(this.lang)) problems.push(`Language "${this.lang}" is not an ISO 639 code such as en, fr, es.`);
    if (problems.length) {
      this.#importError = problems.join('\n');
      return null;
    }
    this.#importing = true;
    this.#importError = null;
    this.#imported = null;
    try {
      const dataset = await api.call('datasets.import', {
        ...fields,
        lang: this.lang,
        name: this.name.trim() || undefined,
        parallelWith: this.parallelWith || undefined,
      });
      this.#imported = dataset;
      this.path = '';
      this.name = '';
      this.#preview = null;
      // Linking may have changed the partner's group too: reload rather than patch.
      await this.refresh();
      return dataset;
    } catch (err) {
      this.#importError = errorText(err);
      return null;
    } finally {
      this.#importing = false;
    }
  }

  toggleSelected(id: number): void {
    if (this.selected.has(id)) this.selected.delete(id);
    else this.selected.add(id);
  }

  /** Marks the ticked datasets as translations of each other (same item ids ⇒ parallel items). */
  async linkSelected(): Promise<void> {
    const datasetIds = [...this.selected];
    if (datasetIds.length < 2) {
      this.#linkError = 'Tick at least two datasets to link them as parallel.';
      return;
    }
    this.#linking = true;
    this.#linkError = null;
    try {
      await api.call('datasets.link', { datasetIds });
      this.selected.clear();
      await this.refresh();
    } catch (err) {
      this.#linkError = errorText(err);
    } finally {
      this.#linking = false;
    }
  }
}

export const datasets = new DatasetsState();

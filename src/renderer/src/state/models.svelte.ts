import type { FamilyInfo, HardwareInfo, ModelEntry, ModelFit, ModelScanResult, ModelState, ShaProgress } from '../../../shared/api';
import type { GpuOffload, ModelRole } from '../../../shared/domain';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

/** Why a dropped file cannot be added in a browser: it never reveals where a file lives on disk. */
export const DROP_NEEDS_DESKTOP =
  'Drag and drop needs the desktop app: a browser never tells the page where a dropped file is on disk. ' +
  'Type the path of the file (on the machine that runs the workbench), or scan its folder.';

/**
 * The model library (`models.*`), families, the machine's hardware and memory-fit checks, and the model the
 * run queue holds in memory (`models.state`, then pushed `model.state` events). Background sha256 progress
 * arrives as `models.sha` events. Failures are state the view shows, never thrown.
 */
export class ModelsState {
  #models = $state.raw<ModelEntry[]>([]);
  #loaded = $state(false);
  #listError = $state<string | null>(null);
  #loadedState = $state.raw<ModelState | null>(null);
  #stateError = $state<string | null>(null);
  #adding = $state(false);
  #addError = $state<string | null>(null);
  #families = $state.raw<FamilyInfo[]>([]);
  #familyError = $state<string | null>(null);
  #hardware = $state.raw<HardwareInfo | null>(null);
  #hardwareError = $state<string | null>(null);
  #hashing = $state.raw<Record<number, ShaProgress>>({});
  #scanning = $state(false);
  #scanResult = $state.raw<ModelScanResult | null>(null);
  #scanError = $state<string | null>(null);
  #actionError = $state<string | null>(null);
  #fit = $state.raw<ModelFit | null>(null);
  #fitError = $state<string | null>(null);
  #fitting = $state(false);
  #unsubscribe: (() => void)[] = [];

  /** The path typed into the "add a GGUF" box. */
  addPath = $state('');
  /** The folder typed into the "scan a folder" box. */
  scanPath = $state('');

  get models(): ModelEntry[] {
    return this.#models;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get listError(): string | null {
    return this.#listError;
  }
  /** The model in memory: unloaded, loading (with progress), loaded, or error (with the reason). */
  get modelState(): ModelState | null {
    return this.#loadedState;
  }
  get stateError(): string | null {
    return this.#stateError;
  }
  get adding(): boolean {
    return this.#adding;
  }
  get addError(): string | null {
    return this.#addError;
  }
  get families(): FamilyInfo[] {
    return this.#families;
  }
  get familyError(): string | null {
    return this.#familyError;
  }
  get hardware(): HardwareInfo | null {
    return this.#hardware;
  }
  get hardwareError(): string | null {
    return this.#hardwareError;
  }
  get scanning(): boolean {
    return this.#scanning;
  }
  get scanResult(): ModelScanResult | null {
    return this.#scanResult;
  }
  get scanError(): string | null {
    return this.#scanError;
  }
  /** The last failed row action (remove, locate, family), with the reason. */
  get actionError(): string | null {
    return this.#actionError;
  }
  get fit(): ModelFit | null {
    return this.#fit;
  }
  get fitError(): string | null {
    return this.#fitError;
  }
  get fitting(): boolean {
    return this.#fitting;
  }

  byId(id: number | null | undefined): ModelEntry | undefined {
    return id == null ? undefined : this.#models.find((m) => m.id === id);
  }

  /** Live hash progress of a model (from events), else what the list said. */
  hashingOf(m: ModelEntry): ShaProgress | null {
    return this.#hashing[m.id] ?? m.hashing;
  }

  familyName(id: number | null): string | null {
    return id == null ? null : (this.#families.find((f) => f.id === id)?.name ?? null);
  }

  /** Subscribes to pushed events and loads everything; idempotent. */
  init(): void {
    if (this.#unsubscribe.length) return;
    this.#unsubscribe.push(
      api.on('model.state', (s) => {
        this.#loadedState = s;
        this.#stateError = null;
      }),
      api.on('models.sha', (p) => this.#onSha(p)),
    );
    void this.refresh();
    void this.refreshState();
    void this.refreshFamilies();
    void this.refreshHardware();
  }

  async refresh(): Promise<void> {
    try {
      this.#models = await api.call('models.list', {});
      this.#listError = null;
    } catch (err) {
      this.#listError = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  async refreshState(): Promise<void> {
    try {
      this.#loadedState = await api.call('models.state', {});
      this.#stateError = null;
    } catch (err) {
      this.#stateError = errorText(err);
    }
  }

  async refreshFamilies(): Promise<void> {
    try {
      this.#families = await api.call('families.list', {});
      this.#familyError = null;
    } catch (err) {
      this.#familyError = errorText(err);
    }
  }

  async refreshHardware(): Promise<void> {
    try {
      this.#hardware = await api.call('hardware.info', {});
      this.#hardwareError = null;
    } catch (err) {
      this.#hardwareError = errorText(err);
    }
  }

  /** Adds the GGUF at `addPath`; on success the box is cleared and the model appears in the list. */
  async add(): Promise<ModelEntry | null> {
    const path = this.addPath.trim();
    if (!path) {
      this.#addError = 'Type the path of a .gguf file first.';
      return null;
    }
    const [added] = await this.addPaths([path]);
    if (added) this.addPath = '';
    return added ?? null;
  }

  /** Adds several files (a drop); every failure is listed with its file, the others are still added. */
  async addPaths(paths: string[]): Promise<ModelEntry[]> {
    this.#adding = true;
    this.#addError = null;
    const added: ModelEntry[] = [];
    const errors: string[] = [];
    try {
      for (const path of paths) {
        try {
          added.push(await api.call('models.add', { path }));
        } catch (err) {
          errors.push(errorText(err));
        }
      }
      if (added.length) await this.refresh();
      this.#addError = errors.length ? errors.join('\n') : null;
      return added;
    } finally {
      this.#adding = false;
    }
  }

  /** Files dropped on the view: their paths come from the desktop preload; a browser cannot give them. */
  async addDropped(files: File[]): Promise<void> {
    const pathOf = api.pathForFile;
    if (!pathOf) {
      this.#addError = DROP_NEEDS_DESKTOP;
      return;
    }
    const paths = files.map((f) => pathOf(f)).filter((p) => p.length > 0);
    if (paths.length === 0) {
      this.#addError = 'The dropped item is not a file on disk. Drop .gguf files from a file manager.';
      return;
    }
    await this.addPaths(paths);
  }

  async scan(): Promise<void> {
    const folder = this.scanPath.trim();
    if (!folder) {
      this.#scanError = 'Type the path of a folder first.';
      return;
    }
    this.#scanning = true;
    this.#scanError = null;
    this.#scanResult = null;
    try {
      this.#scanResult = await api.call('models.scan', { folder });
      await this.refresh();
    } catch (err) {
      this.#scanError = errorText(err);
    } finally {
      this.#scanning = false;
    }
  }

  remove(modelId: number): Promise<void> {
    return this.#act(() => api.call('models.remove', { modelId }));
  }

  locate(modelId: number, path: string): Promise<void> {
    return this.#act(() => api.call('models.locate', { modelId, path: path.trim() }));
  }

  setFamily(modelId: number, familyId: number | null, role: ModelRole | undefined): Promise<void> {
    return this.#act(() => api.call('models.setFamily', { modelId, familyId, role }));
  }

  createFamily(name: string): Promise<void> {
    return this.#act(() => api.call('families.create', { name: name.trim() }));
  }

  removeFamily(familyId: number): Promise<void> {
    return this.#act(() => api.call('families.remove', { familyId }));
  }

  /** Estimates the memory of a model + context (no load) against what is free now. */
  async checkFit(modelId: number, contextSize: number, parallel: number, gpu: GpuOffload): Promise<void> {
    this.#fitting = true;
    this.#fitError = null;
    try {
      this.#fit = await api.call('models.fit', { modelId, contextSize, parallel, gpu });
    } catch (err) {
      this.#fit = null;
      this.#fitError = errorText(err);
    } finally {
      this.#fitting = false;
    }
  }

  /** A row action, then a fresh list and families (both may change). */
  async #act(action: () => Promise<unknown>): Promise<void> {
    this.#actionError = null;
    try {
      await action();
    } catch (err) {
      this.#actionError = errorText(err);
    }
    await Promise.all([this.refresh(), this.refreshFamilies()]);
  }

  #onSha(p: ShaProgress): void {
    const finished = p.sha256 != null || p.error != null;
    const { [p.modelId]: _, ...rest } = this.#hashing;
    this.#hashing = finished ? rest : { ...rest, [p.modelId]: p };
    if (p.error) this.#actionError = p.error;
    // The list shows the hash (and duplicates) once it is known.
    if (finished) void this.refresh();
  }
}

export const models = new ModelsState();

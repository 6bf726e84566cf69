import { statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { FamilyInfo, ModelEntry, ModelFileStatus, ModelScanResult, ShaProgress } from '../../../shared/api';
import { ROLE_METHODS, type MethodName, type ModelInfo, type ModelRole } from '../../../shared/domain';
import { defaultThreads, getLlamaRuntime, inspectGguf } from '../../core/inference';
import { errorText } from '../../core/inference/llama/inspectGguf';
import { isRemoteModelPath } from '../../core/inference/openai';
import { cachedSha256, fileStamp } from '../../core/models/cachedSha256';
import { findGgufFiles } from '../../core/models/findGgufFiles';
import type { Store } from '../../store/openStore';
import { NotFoundError } from '../errors';
import { addRemoteModel, type AddRemoteModelRequest } from './remoteModels';

/** Progress events at most every this many bytes (1% of the file, at least 16 MiB): a 4 GB file sends ~100. */
const MIN_PROGRESS_STEP = 16 << 20;

type ShaListener = (progress: ShaProgress) => void;

/** The repositories the library reads and writes. */
export type ModelLibraryStore = Pick<Store, 'models' | 'families' | 'fileHashes'>;

/** Models under this many parameters get one thread: they gain nothing from more, and ggml's spinning threads lose badly to any other load. */
const TINY_MODEL_PARAMS = 50_000_000;

/**
 * The local model library: adding GGUF files (one, or a folder), their sha256 in the background with a
 * cache, the state of each file (missing, changed, duplicate), and families. Transport-agnostic.
 */
export class ModelLibrary {
  readonly #hashing = new Map<number, { progress: ShaProgress; done: Promise<string> }>();
  readonly #listeners = new Set<ShaListener>();

  constructor(private readonly store: ModelLibraryStore) {}

  onSha(listener: ShaListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /**
   * Checks the GGUF (header, completeness) and stores it at once. The sha256 comes from the cache when the
   * file is unchanged since it was last hashed; otherwise the row holds "" and `sha256` resolves once the
   * background hash is done (and stored).
   */
  async add(path: string): Promise<{ model: ModelInfo; sha256: Promise<string>; cached: boolean }> {
    const absolute = resolve(path);
    const { summary, fileInfo } = await inspectGguf(absolute, await getLlamaRuntime('cpu'));
    const stamp = await fileStamp(absolute);
    const cached = this.store.fileHashes.lookup(stamp);
    const model = this.store.models.upsert({
      path: absolute,
      name: basename(absolute).replace(/\.gguf$/i, ''),
      sha256: cached ?? '',
      sizeBytes: summary.sizeBytes,
      architecture: summary.architecture,
      parameterCount: summary.parameterCount,
      quantization: summary.quantization,
      trainContextSize: summary.trainContextSize,
      chatTemplate: summary.chatTemplate,
      runnable: summary.runnable,
      metadata: {
        generalName: summary.name,
        ggufVersion: fileInfo.version,
        tensorCount: summary.tensorCount,
        tokenizer: summary.tokenizerModel,
        chatTemplateName: summary.chatTemplateName,
      },
    });
    if (cached) return { model, sha256: Promise.resolve(cached), cached: true };
    const pending = this.#hashing.get(model.id);
    return { model, sha256: pending && pending.progress.path === absolute ? pending.done : this.#hash(model), cached: false };
  }

  /** The model's sha256, waiting for (or starting, e.g. after a crash mid-hash) its background hash. */
  async sha256Of(model: ModelInfo): Promise<string> {
    if (model.sha256 || isRemoteModelPath(model.path)) return model.sha256;
    return this.#hashing.get(model.id)?.done ?? this.#hash(model);
  }

  /** Adds (or refreshes) a GGUF and waits for its sha256 (what the CLI prints; the API returns before it). */
  async addHashed(path: string): Promise<ModelInfo> {
    const { model, sha256 } = await this.add(path);
    return { ...model, sha256: await sha256 };
  }

  /** A model served by an OpenAI-compatible server (checked against its model list first). */
  addRemote(request: AddRemoteModelRequest): Promise<ModelInfo> {
    return addRemoteModel(this.store.models, request);
  }

  /**
   * A model by id, or by path (added on the fly when new). Its sha256 is awaited when still being computed
   * in the background: everything that uses a model records which file it was.
   */
  async resolve(ref: string): Promise<ModelInfo> {
    if (/^\d+$/.test(ref)) return { ...this.#model(Number(ref)), sha256: await this.sha256Of(this.#model(Number(ref))) };
    if (isRemoteModelPath(ref)) {
      const remote = this.store.models.byPath(ref);
      if (!remote) throw new NotFoundError(`No remote model "${ref}". Add it with "models add --openai <base-url> --model <name>".`);
      return remote;
    }
    const known = this.store.models.byPath(resolve(ref));
    return known ? { ...known, sha256: await this.sha256Of(known) } : await this.addHashed(ref);
  }

  /** Default CPU threads for a model: the physical cores, one for tiny models. */
  async threadsFor(model: { parameterCount: number | null }): Promise<number> {
    return (model.parameterCount ?? Infinity) < TINY_MODEL_PARAMS ? 1 : defaultThreads();
  }

  /** Adds every *.gguf under `folder`; a file that fails is reported with its reason, the others still added. */
  async scan(folder: string): Promise<ModelScanResult> {
    const absolute = resolve(folder);
    const { files, skipped, truncated } = await findGgufFiles(absolute);
    const added: ModelEntry[] = [];
    const failed: ModelScanResult['failed'] = skipped.map((s) => ({ path: s.path, message: `${s.path}: folder skipped (${s.reason}).` }));
    for (const file of files) {
      try {
        added.push(this.entry((await this.add(file)).model.id));
      } catch (err) {
        failed.push({ path: file, message: errorText(err) });
      }
    }
    return { folder: absolute, found: files.length, added, failed, truncated };
  }

  list(): ModelEntry[] {
    const models = this.store.models.list();
    const bySha = new Map<string, number[]>();
    for (const m of models) if (m.sha256) bySha.set(m.sha256, [...(bySha.get(m.sha256) ?? []), m.id]);
    return models.map((m) => this.#entry(m, bySha));
  }

  entry(modelId: number): ModelEntry {
    const entry = this.list().find((m) => m.id === modelId);
    if (!entry) throw new NotFoundError(`No model with id ${modelId}. List them with "models list".`);
    return entry;
  }

  /** Removes the library entry (the file stays on disk); refused while runs or judges refer to the model. */
  remove(modelId: number): void {
    const model = this.#model(modelId);
    const { runs, judges } = this.store.models.usage(modelId);
    if (runs + judges > 0) {
      throw new Error(
        `Model ${modelId} (${model.name}) is used by ${runs} run(s) and ${judges} judge(s): it stays, so their results keep ` +
          `their provenance.${this.#fileStatus(model) === 'missing' ? ' Locate its file instead.' : ''}`,
      );
    }
    this.store.models.remove(modelId);
  }

  /** Points a model whose file moved at its new path; it must be the same file (same sha256). */
  async locate(modelId: number, path: string): Promise<ModelEntry> {
    const model = this.#model(modelId);
    if (isRemoteModelPath(model.path)) throw new Error(`Model ${modelId} is a remote model: it has no file to locate.`);
    const absolute = resolve(path);
    const other = this.store.models.byPath(absolute);
    if (other && other.id !== modelId) throw new Error(`${absolute} is already in the library as model ${other.id}.`);
    await inspectGguf(absolute, await getLlamaRuntime('cpu'));
    const { sha256 } = await cachedSha256(absolute, this.store.fileHashes);
    const expected = await this.sha256Of(model);
    if (expected && sha256 !== expected) {
      throw new Error(
        `${absolute} is not the same file as model ${modelId} (sha256 ${sha256.slice(0, 12)}… instead of ${expected.slice(0, 12)}…). ` +
          `Add it as a new model instead; runs of model ${modelId} were made with the other file.`,
      );
    }
    this.store.models.setPath(modelId, absolute);
    if (!expected) this.store.models.setSha256(modelId, sha256);
    return this.entry(modelId);
  }

  setFamily(modelId: number, familyId: number | null, role: ModelRole | undefined): ModelEntry {
    this.#model(modelId);
    if (familyId == null) this.store.models.setFamily(modelId, null);
    else {
      if (!this.store.families.get(familyId)) throw new NotFoundError(`No family with id ${familyId}. List them with "models family list".`);
      if (!role) throw new Error('A family member needs a role: base, sft, dpo or other.');
      this.store.models.setFamily(modelId, { familyId, role });
    }
    return this.entry(modelId);
  }

  families(): FamilyInfo[] {
    return this.store.families.list().map((f) => this.#familyInfo(f.id));
  }

  createFamily(name: string): FamilyInfo {
    return this.#familyInfo(this.store.families.create(name.trim()).id);
  }

  removeFamily(familyId: number): void {
    this.family(String(familyId));
    this.store.families.remove(familyId);
  }

  /** A family by id or name. */
  family(ref: string): FamilyInfo {
    const family = /^\d+$/.test(ref) ? this.store.families.get(Number(ref)) : this.store.families.byName(ref);
    if (!family) throw new NotFoundError(`No family "${ref}" (by id or name). List them with "models family list".`);
    return this.#familyInfo(family.id);
  }

  /** "Every role of this family × the methods that fit the role": one (model, methods) pair per member. */
  familyPlan(ref: string): { model: string; methods: readonly MethodName[] }[] {
    const family = this.family(ref);
    const pairs = family.members.map((m) => ({ model: String(m.modelId), methods: ROLE_METHODS[m.role] })).filter((p) => p.methods.length > 0);
    if (pairs.length === 0)
      throw new Error(`Family "${family.name}" has no member with role base, sft or dpo: assign roles to its models first.`);
    return pairs;
  }

  // HELPERS

  #model(modelId: number): ModelInfo {
    const model = this.store.models.get(modelId);
    if (!model) throw new NotFoundError(`No model with id ${modelId}. List them with "models list".`);
    return model;
  }

  #familyInfo(familyId: number): FamilyInfo {
    const family = this.store.families.get(familyId)!;
    const members = this.store.models.members(familyId).map((m) => ({ modelId: m.id, role: m.role! }));
    return { ...family, members };
  }

  #entry(m: ModelInfo, bySha: Map<string, number[]>): ModelEntry {
    return {
      ...m,
      fileStatus: this.#fileStatus(m),
      duplicateOf: m.sha256 ? (bySha.get(m.sha256) ?? []).filter((id) => id !== m.id) : [],
      hashing: this.#hashing.get(m.id)?.progress ?? null,
    };
  }

  #fileStatus(m: ModelInfo): ModelFileStatus {
    if (isRemoteModelPath(m.path)) return 'remote';
    let st;
    try {
      st = statSync(m.path);
    } catch {
      return 'missing';
    }
    if (!st.isFile()) return 'missing';
    if (st.size !== m.sizeBytes) return 'changed';
    // Same size: changed only if the file was hashed here before and its stamp differs now. Rows from before
    // the cache existed have no entry, and are not flagged for that.
    const stamp = { path: m.path, mtimeMs: st.mtimeMs, sizeBytes: st.size };
    return this.store.fileHashes.has(m.path) && !this.store.fileHashes.lookup(stamp) && !this.#hashing.has(m.id) ? 'changed' : 'ok';
  }

  #hash(model: ModelInfo): Promise<string> {
    const progress: ShaProgress = { modelId: model.id, path: model.path, bytesDone: 0, bytesTotal: model.sizeBytes, sha256: null, error: null };
    const step = Math.max(MIN_PROGRESS_STEP, model.sizeBytes / 100);
    let reported = 0;
    const report = (p: ShaProgress) => {
      for (const l of this.#listeners) l(p);
    };
    const done = cachedSha256(model.path, this.store.fileHashes, ({ bytesDone, bytesTotal }) => {
      Object.assign(progress, { bytesDone, bytesTotal });
      if (bytesDone - reported >= step) {
        reported = bytesDone;
        report({ ...progress });
      }
    })
      .then(({ sha256 }) => {
        // Only if the row still describes this file (not re-added with another file meanwhile).
        if (this.store.models.get(model.id)?.path === model.path) this.store.models.setSha256(model.id, sha256);
        report({ ...progress, bytesDone: progress.bytesTotal, sha256 });
        return sha256;
      })
      .catch((err: unknown) => {
        report({ ...progress, error: `Could not hash ${model.path}: ${errorText(err)}` });
        throw err;
      })
      .finally(() => this.#hashing.delete(model.id));
    // An unobserved failure is reported through the event; callers that await get the rejection.
    done.catch(() => {});
    this.#hashing.set(model.id, { progress, done });
    report({ ...progress });
    return done;
  }
}

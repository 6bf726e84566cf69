import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ADJUDICATOR,
  type CreatePackagesRequest,
  type CreatePackagesResult,
  type ExportPackageResult,
  type MergeResult,
  type OpenedPackage,
  type ResolveEntry,
  type StudyReport,
} from '../../../shared/annotations';
import type { GenerationDetail, GenerationFilter } from '../../../shared/generations';
import { activeSeconds } from '../../core/annotationPackages/activeSeconds';
import { contentKey, sha256Hex } from '../../core/annotationPackages/contentKey';
import { DEFAULT_LIMITS, encodePackageFile, PackageFileError, readPackageFile, type FileLimits } from '../../core/annotationPackages/packageFile';
import { annotationsContentSchema, FORMATS, packageContentSchema, type AnnotationsContent, type Manifest, type PackageContent, type PackageItem } from '../../core/annotationPackages/packageSchemas';
import { splitAssignment } from '../../core/annotationPackages/splitAssignment';
import { checkPackage, detectorResults } from '../../core/annotationPackages/checkPackage';
import type { ScopedAnnotation } from '../../store/AnnotationRepo';
import type { StudyItem, StudyRecord } from '../../store/AnnotationPackageRepo';
import type { Store } from '../../store/openStore';

/** The store repos this service works with (no Workbench, no SQL of its own). */
export type AnnotationPackageRepos = Pick<Store, 'reader' | 'datasets' | 'runs' | 'generations' | 'detections' | 'annotations' | 'annotationPackages'>;

const PAGE = 1000;
const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
/** A name as part of a file name: what is safe on every file system. */
const slug = (s: string) => s.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[_.]+|_+$/g, '').slice(0, 60) || 'x';

/**
 * Annotation across machines (issue 16): the owner packages a selection out, one file per annotator; each
 * annotator opens theirs into their own store and annotates it with the ordinary Annotate machinery; the returned
 * files are merged back by content key, refused whole when anything in them does not fit.
 */
export class AnnotationPackages {
  constructor(
    private readonly repos: AnnotationPackageRepos,
    private readonly limits: FileLimits = DEFAULT_LIMITS,
  ) {}

  // OWNER: PACKAGE OUT

  create(req: CreatePackagesRequest): CreatePackagesResult {
    const annotators = [...new Set(req.annotators.map((a) => a.trim()))];
    if (!req.studyName.trim()) throw new Error('Name the study (it goes into every file name).');
    if (annotators.length === 0 || annotators.some((a) => !a)) throw new Error('Name at least one annotator (e.g. --annotators ana,ben).');
    if (annotators.includes(ADJUDICATOR)) throw new Error(`"${ADJUDICATOR}" is kept for resolutions of disagreements: choose another annotator name.`);
    if (!(req.overlapPercent >= 0 && req.overlapPercent <= 100)) throw new Error(`Overlap must be a percentage between 0 and 100, not ${req.overlapPercent}.`);
    const paths = new Map(annotators.map((a) => [a, join(resolve(req.outDir), `${slug(req.studyName)}-${slug(a)}.alignpkg`)]));
    if (new Set(paths.values()).size < annotators.length) throw new Error('Two annotator names give the same file name: make them differ by more than case or punctuation.');
    for (const p of paths.values()) if (existsSync(p)) throw new Error(`${p} already exists: choose another output folder, or move the old package away.`);

    const blind = req.blind ?? false;
    const generations = this.#details(req.selection).filter((g) => g.finishReason !== 'error');
    if (generations.length === 0) throw new Error('The selection has no generations to annotate: widen the filters (runs, languages, methods…).');
    const groupOf = new Map<number, number>();
    const groups: PackageContent['groups'] = [];
    const items = new Map<string, Omit<PackageItem, 'overlap'>>();
    for (const g of generations) {
      if (!groupOf.has(g.runId)) {
        groupOf.set(g.runId, groups.length);
        groups.push({ lang: g.lang, method: blind ? null : g.method, model: blind ? null : g.modelName });
      }
      const key = contentKey(g);
      if (items.has(key)) continue; // the same text under another run: one judgement covers both
      const findings = this.repos.detections.forGeneration(g.id).flatMap((d) => d.findings);
      items.set(key, {
        key,
        group: groupOf.get(g.runId)!,
        itemId: g.itemId,
        instruction: g.instruction,
        outputRaw: g.outputRaw,
        outputSha256: sha256Hex(g.outputRaw),
        finishReason: g.finishReason,
        taskTypes: g.taskTypes,
        category: g.category,
        ...(blind ? {} : { findings }),
      });
    }
    const keys = [...items.keys()].sort();
    const split = splitAssignment(keys, annotators, req.overlapPercent / 100, req.seed);
    const shared = new Set(split.overlap);
    const labels = this.repos.annotations.labels().map(({ name, definition }) => ({ name, definition }));
    const studyId = randomUUID();
    const created = new Date().toISOString();
    const packages = annotators.map((annotator) => {
      const packageId = randomUUID();
      const content: PackageContent = {
        studyId,
        studyName: req.studyName,
        packageId,
        annotator,
        blind,
        guidelines: req.guidelines ?? '',
        labels,
        assignment: { annotators, overlap: req.overlapPercent / 100, seed: req.seed, overlapItems: shared.size, studyItems: keys.length },
        groups,
        items: split.byAnnotator.get(annotator)!.map((k) => ({ ...items.get(k)!, overlap: shared.has(k) })),
      };
      const { bytes, contentSha256 } = encodePackageFile(FORMATS.package, { studyId, studyName: req.studyName, packageId, annotator, created, counts: { items: content.items.length, overlap: shared.size } }, content);
      return { annotator, packageId, contentSha256, bytes, path: paths.get(annotator)!, items: content.items.length };
    });

    // Files first (as .part), then the study, then the names: a failure anywhere leaves neither half behind.
    mkdirSync(resolve(req.outDir), { recursive: true });
    try {
      for (const p of packages) writeFileSync(`${p.path}.part`, p.bytes);
      const assignment = new Map(
        annotators.map((a) => [a, split.byAnnotator.get(a)!.map((k): StudyItem => ({ key: k, itemId: items.get(k)!.itemId, lang: groups[items.get(k)!.group]!.lang }))]),
      );
      this.repos.annotationPackages.insertStudy(
        { id: studyId, name: req.studyName, selection: req.selection, runIds: [...groupOf.keys()], annotators, overlap: req.overlapPercent / 100, seed: req.seed, blind, guidelines: req.guidelines ?? '', labels },
        assignment,
        packages.map((p) => ({ id: p.packageId, annotator: p.annotator, contentSha256: p.contentSha256 })),
      );
    } catch (e) {
      for (const p of packages) rmSync(`${p.path}.part`, { force: true });
      throw e;
    }
    for (const p of packages) renameSync(`${p.path}.part`, p.path);
    return { studyId, studyName: req.studyName, items: keys.length, overlapItems: shared.size, files: packages.map((p) => ({ annotator: p.annotator, path: p.path, items: p.items })) };
  }

  // ANNOTATOR: OPEN, PROGRESS, EXPORT

  /**
   * Opens a package into this store: per source group, a dataset and an imported run holding its outputs (and
   * the detector suggestions unless blind), so the Annotate view works on it unchanged. Opening the same package
   * again returns it as it is; everything is written in one transaction.
   */
  open(path: string): OpenedPackage {
    const { manifest, content } = readPackageFile(path, FORMATS.package, packageContentSchema, this.limits);
    checkPackage(path, manifest, content);
    const repos = this.repos;
    const known = repos.annotationPackages.openedPackage(content.packageId);
    if (known) {
      if (known.contentSha256 !== manifest.contentSha256) throw new PackageFileError(path, `a different package with the same id (${content.packageId}) is already open here: the file was altered.`);
      return this.#summary(known.id);
    }
    repos.annotationPackages.transaction(() => {
      const have = new Set(repos.annotations.labels().map((l) => l.name));
      for (const l of content.labels) if (!have.has(l.name)) repos.annotations.addLabel(l.name, l.definition);
      const local: { key: string; generationId: number }[] = [];
      content.groups.forEach((group, index) => {
        const members = content.items.filter((i) => i.group === index);
        if (members.length === 0) return;
        const label = group.model || group.method ? `${group.model ?? '?'} · ${group.method ?? '?'} · ${group.lang}` : `set ${index + 1} · ${group.lang}`;
        const name = `${content.studyName} (${content.annotator}) ${label} [${content.packageId.slice(0, 8)}]`;
        const dataset = repos.datasets.insert(
          { name, lang: group.lang, sourcePath: resolve(path), sourceSha256: manifest.contentSha256, format: 'alignpkg' },
          members.map((i) => ({ id: i.itemId, instruction: i.instruction, category: i.category ?? undefined, taskTypes: i.taskTypes ?? undefined, metadata: {} })),
        );
        const run = repos.runs.insert({
          name,
          kind: 'imported',
          modelId: null,
          datasetId: dataset.id,
          config: null,
          method: { method: group.method ?? 'hidden', package: content.packageId, study: content.studyId },
          environment: {},
          status: 'done',
          itemIds: members.map((i) => i.itemId),
        });
        for (const i of members) {
          const generationId = repos.generations.insert({
            runId: run.id,
            itemId: i.itemId,
            prompt: '',
            outputRaw: i.outputRaw,
            output: i.outputRaw,
            finishReason: i.finishReason,
            error: null,
            promptTokens: 0,
            evaluatedPromptTokens: 0,
            outputTokens: 0,
            wallMs: 0,
            tokensPerSecond: 0,
            seed: 0,
            generator: group.model,
            extra: { package: content.packageId, key: i.key },
          });
          if (i.findings?.length) repos.detections.save(generationId, detectorResults(i.findings));
          local.push({ key: i.key, generationId });
        }
      });
      // Package order, not group order: the annotator's list follows what was handed out.
      const order = new Map(content.items.map((i, n) => [i.key, n]));
      local.sort((a, b) => order.get(a.key)! - order.get(b.key)!);
      repos.annotationPackages.insertPackage(
        { id: content.packageId, studyId: content.studyId, studyName: content.studyName, annotator: content.annotator, contentSha256: manifest.contentSha256, blind: content.blind, guidelines: content.guidelines, labels: content.labels, createdAt: manifest.created },
        local,
      );
    });
    return this.#summary(content.packageId);
  }

  packages(): OpenedPackage[] {
    return this.repos.annotationPackages.openedPackages().map((p) => this.#summary(p.id));
  }

  package(packageId: string): OpenedPackage {
    return this.#summary(packageId);
  }

  /** Writes the annotator's current annotations of the package to `outPath` (.alignann). */
  export(packageId: string, outPath: string): ExportPackageResult {
    const pkg = this.#opened(packageId);
    const store = this.repos;
    const firsts = store.annotationPackages.firstSaves(packageId, pkg.annotator);
    const items = store.annotationPackages.packageItems(packageId);
    const annotations = items.flatMap(({ key, generationId }) => {
      const a = store.annotations.current(generationId, pkg.annotator);
      const g = store.reader.get(generationId);
      if (!a || !g) return [];
      return [{ key, outputSha256: sha256Hex(g.outputRaw), labels: a.labels, note: a.note, decisions: a.decisions, firstSavedAt: firsts.get(generationId) ?? a.createdAt, savedAt: a.createdAt }];
    });
    const exportedAt = new Date().toISOString();
    const content: AnnotationsContent = {
      studyId: pkg.studyId,
      packageId,
      packageSha256: pkg.contentSha256,
      annotator: pkg.annotator,
      exportId: randomUUID(),
      exportedAt,
      openedAt: pkg.openedAt,
      activeSeconds: activeSeconds(pkg.openedAt, store.annotationPackages.changeTimes(packageId, pkg.annotator)),
      items: items.length,
      annotations,
    };
    const { bytes } = encodePackageFile(FORMATS.annotations, { studyId: pkg.studyId, studyName: pkg.studyName, packageId, annotator: pkg.annotator, created: exportedAt, counts: { annotations: annotations.length, items: items.length } }, content);
    const path = resolve(outPath);
    writeFileSync(`${path}.part`, bytes);
    renameSync(`${path}.part`, path);
    return { path, annotations: annotations.length, items: items.length, activeSeconds: content.activeSeconds };
  }

  // OWNER: MERGE BACK, REPORT, RESOLVE

  /**
   * Merges returned files into this (the study's) store, each annotation onto the generations whose content
   * key it names. Every file is checked in full first; any problem refuses the whole merge, naming the file and
   * what is wrong, and nothing is written.
   */
  merge(paths: readonly string[]): MergeResult {
    if (paths.length === 0) throw new Error('Name at least one .alignann file to merge.');
    const files = paths.map((path) => {
      const { manifest, content, fileSha256 } = readPackageFile(path, FORMATS.annotations, annotationsContentSchema, this.limits);
      if (manifest.studyId !== content.studyId || manifest.packageId !== content.packageId || manifest.annotator !== content.annotator)
        throw new PackageFileError(path, 'the manifest and the content name different studies, packages or annotators: the file was altered.');
      return { path, manifest, content, fileSha256 };
    });
    const studyId = files[0]!.content.studyId;
    const study = this.repos.annotationPackages.study(studyId);
    const seenPackages = new Map<string, string>();
    for (const f of files) {
      if (f.content.studyId !== studyId) throw new PackageFileError(f.path, `belongs to study "${f.manifest.studyName}", not to "${study?.name ?? files[0]!.manifest.studyName}" like ${files[0]!.path}: merge one study at a time.`);
      if (!study) throw new PackageFileError(f.path, `belongs to study "${f.manifest.studyName}" (${studyId}), which is not in this store: merge it into the store the packages were made from.`);
      const other = seenPackages.get(f.content.packageId);
      if (other) throw new PackageFileError(f.path, `a duplicate: ${other} returns the same package. Merge only the newer export.`);
      seenPackages.set(f.content.packageId, f.path);
      this.#checkReturn(f.path, study, f.content, f.fileSha256);
    }
    const byKey = this.#generationsByKey(study!.runIds);
    const assignment = this.repos.annotationPackages.studyAssignment(studyId);
    for (const f of files) {
      const stale = f.content.annotations.filter((a) => !byKey.has(a.key));
      if (stale.length > 0) {
        const named = stale.slice(0, 5).map((a) => `item ${assignment.get(a.key)!.itemId} (${assignment.get(a.key)!.lang})`);
        throw new PackageFileError(
          f.path,
          `${stale.length} annotation(s) are of outputs that changed (re-generated or deleted) since the package was made: ${named.join(', ')}${stale.length > 5 ? ', …' : ''}. Package those items again.`,
        );
      }
    }
    const { annotations } = this.repos;
    const result = this.repos.annotationPackages.transaction(() =>
      files.map((f) => {
        let written = 0;
        let unchanged = 0;
        for (const a of f.content.annotations)
          for (const generationId of byKey.get(a.key)!) {
            const now = annotations.current(generationId, f.content.annotator);
            if (now && sameSet(now.labels, a.labels) && now.note === a.note && JSON.stringify(sortKeys(now.decisions)) === JSON.stringify(sortKeys(a.decisions))) {
              unchanged++;
              continue;
            }
            annotations.save(generationId, f.content.annotator, { labels: a.labels, note: a.note, decisions: a.decisions, createdAt: a.savedAt });
            written++;
          }
        this.repos.annotationPackages.insertMerge({
          exportId: f.content.exportId,
          studyId,
          packageId: f.content.packageId,
          annotator: f.content.annotator,
          fileSha256: f.fileSha256,
          exportedAt: f.content.exportedAt,
          activeSeconds: f.content.activeSeconds,
          annotations: f.content.annotations.length,
        });
        return { file: f.path, annotator: f.content.annotator, annotations: f.content.annotations.length, written, unchanged };
      }),
    );
    return { studyId, files: result };
  }

  studies(): StudyRecord[] {
    return this.repos.annotationPackages.studies();
  }

  /** Coverage, time spent and disagreements per annotator, over the outputs as they are now. */
  report(studyId: string): StudyReport {
    const study = this.#study(studyId);
    const assignment = this.repos.annotationPackages.studyAssignment(studyId);
    const byKey = this.#generationsByKey(study.runIds);
    const current = this.#currentByGeneration(study);
    const { compared, disputed } = this.#compare(study, assignment, byKey, current);
    const merges = this.repos.annotationPackages.merges(studyId);
    const annotators = study.annotators.map((name) => {
      const keys = [...assignment.values()].filter((i) => i.annotators.includes(name));
      const annotated = keys.filter((i) => (byKey.get(i.key) ?? []).some((g) => current.get(g)?.has(name))).length;
      // Each export carries the whole time so far: the latest one per package counts.
      const latest = new Map(merges.filter((m) => m.annotator === name).map((m) => [m.packageId, m]));
      return {
        name,
        assigned: keys.length,
        annotated,
        coverage: keys.length ? annotated / keys.length : 0,
        activeSeconds: [...latest.values()].reduce((s, m) => s + m.activeSeconds, 0),
        disagreements: disputed.filter((d) => d.annotations.some((a) => a.annotator === name)).length,
        lastExport: [...latest.values()].map((m) => m.exportedAt).sort().at(-1) ?? null,
      };
    });
    return {
      studyId,
      studyName: study.name,
      runIds: study.runIds,
      annotators,
      compared,
      disagreements: disputed.length,
      resolved: disputed.filter((d) => d.adjudicated).length,
    };
  }

  /**
   * The overlap generations on which the study's annotators disagree (some label not given by all), unresolved
   * first. The resolution is an ordinary annotation saved under ADJUDICATOR (annotations.save).
   */
  resolveQueue(studyId: string): ResolveEntry[] {
    const study = this.#study(studyId);
    const { disputed } = this.#compare(study, this.repos.annotationPackages.studyAssignment(studyId), this.#generationsByKey(study.runIds), this.#currentByGeneration(study));
    return [...disputed].sort((a, b) => Number(a.adjudicated !== null) - Number(b.adjudicated !== null) || a.generationId - b.generationId);
  }

  // HELPERS

  /** Every generation the selection matches, in full. */
  #details(selection: GenerationFilter): GenerationDetail[] {
    const out: GenerationDetail[] = [];
    for (let offset = 0; ; offset += PAGE) {
      const { rows, total } = this.repos.reader.query(selection, offset, PAGE);
      for (const r of rows) out.push(this.repos.reader.get(r.id)!);
      if (offset + PAGE >= total) return out;
    }
  }

  /** Content key → the study runs' generations that have that content now. */
  #generationsByKey(runIds: readonly number[]): Map<string, number[]> {
    const out = new Map<string, number[]>();
    if (runIds.length === 0) return out;
    for (const g of this.#details({ runIds: [...runIds] })) {
      const key = contentKey(g);
      out.set(key, [...(out.get(key) ?? []), g.id]);
    }
    return out;
  }

  #currentByGeneration(study: StudyRecord): Map<number, Map<string, ScopedAnnotation>> {
    const out = new Map<number, Map<string, ScopedAnnotation>>();
    for (const a of this.repos.annotations.currentIn(study.runIds, [...study.annotators, ADJUDICATOR])) {
      const m = out.get(a.generationId) ?? new Map<string, ScopedAnnotation>();
      m.set(a.annotator, a);
      out.set(a.generationId, m);
    }
    return out;
  }

  /** Overlap generations annotated by two study annotators or more, and those among them that disagree. */
  #compare(study: StudyRecord, assignment: ReturnType<AnnotationPackageRepos['annotationPackages']['studyAssignment']>, byKey: Map<string, number[]>, current: Map<number, Map<string, ScopedAnnotation>>) {
    let compared = 0;
    const disputed: ResolveEntry[] = [];
    for (const item of assignment.values()) {
      if (item.annotators.length < 2) continue;
      for (const generationId of byKey.get(item.key) ?? []) {
        const byAnnotator = current.get(generationId);
        const given = study.annotators.flatMap((n) => (byAnnotator?.get(n) ? [byAnnotator.get(n)!] : []));
        if (given.length < 2) continue;
        compared++;
        const all = [...new Set(given.flatMap((a) => a.labels))].sort();
        const notByAll = all.filter((l) => !given.every((a) => a.labels.includes(l)));
        if (notByAll.length === 0) continue;
        const adjudicated = byAnnotator!.get(ADJUDICATOR) ?? null;
        disputed.push({
          generationId,
          itemId: given[0]!.itemId,
          lang: given[0]!.lang,
          disputed: notByAll,
          annotations: given.map((a) => ({ annotator: a.annotator, labels: a.labels, note: a.note })),
          adjudicated: adjudicated && { generationId, annotator: ADJUDICATOR, labels: adjudicated.labels, note: adjudicated.note, decisions: adjudicated.decisions, createdAt: adjudicated.createdAt },
        });
      }
    }
    return { compared, disputed };
  }

  /** A returned file against the study: its package, annotator, items and labels; and that it is not merged yet. */
  #checkReturn(path: string, study: StudyRecord, c: AnnotationsContent, fileSha256: string): void {
    const fail = (problem: string): never => {
      throw new PackageFileError(path, problem);
    };
    const pkg = this.repos.annotationPackages.studyPackage(c.packageId);
    if (!pkg || pkg.studyId !== study.id) fail(`names a package (${c.packageId}) this study never handed out.`);
    if (pkg!.annotator !== c.annotator) fail(`says it is ${c.annotator}'s, but the package went to ${pkg!.annotator}.`);
    if (pkg!.contentSha256 !== c.packageSha256) fail('was annotated on a different version of the package than the one handed out: the package was altered.');
    const done = this.repos.annotationPackages.findMerge(c.exportId, fileSha256);
    if (done) fail(`a duplicate: this export was already merged on ${done.mergedAt}.`);
    const newer = this.repos.annotationPackages.merges(study.id).find((m) => m.packageId === c.packageId && m.exportedAt >= c.exportedAt);
    if (newer) fail(`older than ${c.annotator}'s export of ${newer.exportedAt}, already merged: merging it would undo later work.`);
    const assignment = this.repos.annotationPackages.studyAssignment(study.id);
    const labels = new Set(study.labels.map((l) => l.name));
    const seen = new Set<string>();
    c.annotations.forEach((a, n) => {
      const where = `annotations[${n}]`;
      if (seen.has(a.key)) fail(`${where}: a duplicate: the file annotates the same output twice.`);
      seen.add(a.key);
      const item = assignment.get(a.key);
      if (!item || !item.annotators.includes(c.annotator)) fail(`${where}: an output that was not in ${c.annotator}'s package.`);
      const unknown = a.labels.filter((l) => !labels.has(l));
      if (unknown.length) fail(`${where} (item ${item!.itemId}): label(s) ${unknown.join(', ')} are not in the study's label set.`);
    });
  }

  #study(studyId: string): StudyRecord {
    const study = this.repos.annotationPackages.study(studyId);
    if (!study) throw new Error(`No annotation study with id ${studyId} in this store.`);
    return study;
  }

  #opened(packageId: string) {
    const pkg = this.repos.annotationPackages.openedPackage(packageId);
    if (!pkg) throw new Error(`No opened package with id ${packageId}: open the .alignpkg file first.`);
    return pkg;
  }

  #summary(packageId: string): OpenedPackage {
    const p = this.#opened(packageId);
    return {
      packageId: p.id,
      studyId: p.studyId,
      studyName: p.studyName,
      annotator: p.annotator,
      blind: p.blind,
      guidelines: p.guidelines,
      labels: p.labels,
      runIds: this.repos.annotationPackages.packageRunIds(p.id),
      progress: this.repos.annotationPackages.progress(p.id, p.annotator),
      openedAt: p.openedAt,
    };
  }
}

const sortKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));


import { ADJUDICATOR, type AnnotationStudy, type MergeResult, type ResolveEntry, type StudyReport } from '../../../shared/annotations';
import { DEFAULT_LIMITS, PackageFileError, readPackageFile, type FileLimits } from '../../core/annotationPackages/packageFile';
import { annotationsContentSchema, FORMATS, type AnnotationsContent } from '../../core/annotationPackages/packageSchemas';
import type { ScopedAnnotation } from '../../store/AnnotationRepo';
import type { StudyRecord } from '../../store/AnnotationPackageRepo';
import type { Store } from '../../store/openStore';
import { generationsByKey } from './selectGenerations';

export type StudyRepos = Pick<Store, 'reader' | 'annotations' | 'annotationPackages'>;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && [...a].sort().join('\n') === [...b].sort().join('\n');
const sortKeys = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

/**
 * The owner's side once files come back: merge by content key (refused whole when anything does not fit), then
 * per annotator coverage, time spent and disagreements, and the queue of disagreements to adjudicate.
 */
export class StudyMerge {
  constructor(
    private readonly repos: StudyRepos,
    private readonly limits: FileLimits = DEFAULT_LIMITS,
  ) {}

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
    const byKey = generationsByKey(this.repos.reader, study!.runIds);
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

  studies(): AnnotationStudy[] {
    return this.repos.annotationPackages.studies();
  }

  /** Coverage, time spent and disagreements per annotator, over the outputs as they are now. */
  report(studyId: string): StudyReport {
    const study = this.#study(studyId);
    const assignment = this.repos.annotationPackages.studyAssignment(studyId);
    const byKey = generationsByKey(this.repos.reader, study.runIds);
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
    const { disputed } = this.#compare(study, this.repos.annotationPackages.studyAssignment(studyId), generationsByKey(this.repos.reader, study.runIds), this.#currentByGeneration(study));
    return [...disputed].sort((a, b) => Number(a.adjudicated !== null) - Number(b.adjudicated !== null) || a.generationId - b.generationId);
  }

  // HELPERS

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
  #compare(study: StudyRecord, assignment: ReturnType<StudyRepos['annotationPackages']['studyAssignment']>, byKey: Map<string, number[]>, current: Map<number, Map<string, ScopedAnnotation>>) {
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
}

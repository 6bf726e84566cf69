import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ADJUDICATOR, type CreatePackagesRequest, type CreatePackagesResult } from '../../../shared/annotations';
import { contentKey, sha256Hex } from '../../core/annotationPackages/contentKey';
import { encodePackageFile } from '../../core/annotationPackages/packageFile';
import { FORMATS, type PackageContent, type PackageItem } from '../../core/annotationPackages/packageSchemas';
import { splitAssignment } from '../../core/annotationPackages/splitAssignment';
import type { StudyItem } from '../../store/AnnotationPackageRepo';
import type { Store } from '../../store/openStore';
import { selectGenerations } from './selectGenerations';

export type PackageOutRepos = Pick<Store, 'reader' | 'detections' | 'annotations' | 'annotationPackages'>;

/** A name as part of a file name: what is safe on every file system. */
const slug = (s: string) => s.normalize('NFKD').replace(/[^\w.-]+/g, '_').replace(/^[_.]+|_+$/g, '').slice(0, 60) || 'x';

/**
 * Package out: the generations the reader's filter matches (failed ones left out; identical texts once), split
 * by a seeded assignment with an overlap for agreement, one `<study>-<annotator>.alignpkg` per annotator in
 * `outDir`, and the study recorded in this store to merge the returns against.
 */
export function createPackages(repos: PackageOutRepos, req: CreatePackagesRequest): CreatePackagesResult {
  const annotators = [...new Set(req.annotators.map((a) => a.trim()))];
  if (!req.studyName.trim()) throw new Error('Name the study (it goes into every file name).');
  if (annotators.length === 0 || annotators.some((a) => !a)) throw new Error('Name at least one annotator (e.g. --annotators ana,ben).');
  if (annotators.includes(ADJUDICATOR)) throw new Error(`"${ADJUDICATOR}" is kept for resolutions of disagreements: choose another annotator name.`);
  if (!(req.overlapPercent >= 0 && req.overlapPercent <= 100)) throw new Error(`Overlap must be a percentage between 0 and 100, not ${req.overlapPercent}.`);
  const paths = new Map(annotators.map((a) => [a, join(resolve(req.outDir), `${slug(req.studyName)}-${slug(a)}.alignpkg`)]));
  if (new Set(paths.values()).size < annotators.length) throw new Error('Two annotator names give the same file name: make them differ by more than case or punctuation.');
  for (const p of paths.values()) if (existsSync(p)) throw new Error(`${p} already exists: choose another output folder, or move the old package away.`);

  const blind = req.blind ?? false;
  const generations = selectGenerations(repos.reader, req.selection).filter((g) => g.finishReason !== 'error');
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
    const findings = repos.detections.forGeneration(g.id).flatMap((d) => d.findings);
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
  const labels = repos.annotations.labels().map(({ name, definition }) => ({ name, definition }));
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
    repos.annotationPackages.insertStudy(
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

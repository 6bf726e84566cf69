import { randomUUID } from 'node:crypto';
import { renameSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ExportPackageResult, OpenedPackage } from '../../../shared/annotations';
import { activeSeconds } from '../../core/annotationPackages/activeSeconds';
import { checkPackage, detectorResults } from '../../core/annotationPackages/checkPackage';
import { sha256Hex } from '../../core/annotationPackages/contentKey';
import { DEFAULT_LIMITS, encodePackageFile, PackageFileError, readPackageFile, type FileLimits } from '../../core/annotationPackages/packageFile';
import { FORMATS, packageContentSchema, type AnnotationsContent } from '../../core/annotationPackages/packageSchemas';
import { NOT_MEASURED_HERE } from '../../store/GenerationRepo';
import type { Store } from '../../store/openStore';

export type AnnotatorRepos = Pick<Store, 'reader' | 'datasets' | 'runs' | 'generations' | 'detections' | 'annotations' | 'annotationPackages'>;

/**
 * The annotator's side: packages opened into this store (no model, no runs needed), their progress, and the
 * export of the annotations back to the study's owner.
 */
export class AnnotatorPackages {
  constructor(
    private readonly repos: AnnotatorRepos,
    private readonly limits: FileLimits = DEFAULT_LIMITS,
  ) {}

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
            ...NOT_MEASURED_HERE,
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

  // HELPERS

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

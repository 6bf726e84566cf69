import type {
  AnnotationStudy,
  CreatePackagesRequest,
  CreatePackagesResult,
  ExportPackageResult,
  MergeResult,
  OpenedPackage,
  ResolveEntry,
  StudyReport,
} from '../../../shared/annotations';
import { DEFAULT_LIMITS, type FileLimits } from '../../core/annotationPackages/packageFile';
import { AnnotatorPackages, type AnnotatorRepos } from './AnnotatorPackages';
import { createPackages } from './packageOut';
import { StudyMerge } from './StudyMerge';

/** The store repos the annotation-package service works with (no SQL of its own). */
export type AnnotationPackageRepos = AnnotatorRepos;

/**
 * Annotation across machines (issue 16), one object for the composition root: the owner packages a selection
 * out, one file per annotator; each annotator opens theirs into their own store and annotates it with the
 * ordinary Annotate machinery; the returned files are merged back by content key, refused whole when anything
 * in them does not fit.
 */
export class AnnotationPackages {
  readonly #annotator: AnnotatorPackages;
  readonly #study: StudyMerge;

  constructor(
    private readonly repos: AnnotationPackageRepos,
    limits: FileLimits = DEFAULT_LIMITS,
  ) {
    this.#annotator = new AnnotatorPackages(repos, limits);
    this.#study = new StudyMerge(repos, limits);
  }

  create(req: CreatePackagesRequest): CreatePackagesResult {
    return createPackages(this.repos, req);
  }

  open(path: string): OpenedPackage {
    return this.#annotator.open(path);
  }

  packages(): OpenedPackage[] {
    return this.#annotator.packages();
  }

  package(packageId: string): OpenedPackage {
    return this.#annotator.package(packageId);
  }

  export(packageId: string, outPath: string): ExportPackageResult {
    return this.#annotator.export(packageId, outPath);
  }

  merge(paths: readonly string[]): MergeResult {
    return this.#study.merge(paths);
  }

  studies(): AnnotationStudy[] {
    return this.#study.studies();
  }

  report(studyId: string): StudyReport {
    return this.#study.report(studyId);
  }

  resolveQueue(studyId: string): ResolveEntry[] {
    return this.#study.resolveQueue(studyId);
  }
}

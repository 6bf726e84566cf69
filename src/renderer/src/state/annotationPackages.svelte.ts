import type { AnnotationStudy, OpenedPackage, StudyReport } from '../../../shared/api';
import { api } from '../lib/api';
import { reportFailure } from '../lib/reportFailure';
import { annotate } from './annotate.svelte';

/** Paths typed one per line or separated by commas. */
const splitList = (text: string) => text.split(/[\n,]/).map((s) => s.trim()).filter(Boolean);

/**
 * Annotation across machines in the Annotate view. Annotator side: the packages opened in this data folder, open
 * one by path, export its annotations. Owner side: package a run (or all runs) out, merge returned files, and
 * each study's coverage, time spent and disagreements.
 */
export class AnnotationPackagesState {
  opened = $state.raw<OpenedPackage[]>([]);
  openPath = $state('');
  exportPath = $state('');
  studies = $state.raw<AnnotationStudy[]>([]);
  studyId = $state<string | null>(null);
  report = $state.raw<StudyReport | null>(null);
  studyName = $state('');
  annotators = $state('');
  overlapPercent = $state(20);
  seed = $state(1);
  blind = $state(false);
  guidelines = $state('');
  outDir = $state('');
  mergePaths = $state('');
  message = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly study: AnnotationStudy | null = $derived(this.studies.find((s) => s.id === this.studyId) ?? null);

  async load(): Promise<void> {
    await reportFailure(this, async () => {
      this.opened = await api.call('annotationPackages.list', {});
      this.studies = await api.call('annotationPackages.studies', {});
      if (this.studyId) this.report = await api.call('annotationPackages.report', { studyId: this.studyId });
    });
  }

  // ANNOTATOR

  async open(path = this.openPath.trim()): Promise<void> {
    await reportFailure(this, async () => {
      const pkg = await api.call('annotationPackages.open', { path });
      this.opened = await api.call('annotationPackages.list', {});
      this.message = `Opened ${pkg.studyName} for ${pkg.annotator}: ${pkg.progress.done}/${pkg.progress.total} annotated.`;
      this.openPath = '';
      annotate.setPackage(pkg);
    });
  }

  /** Files dropped on the Annotate view: the desktop preload knows their paths; a browser never tells them. */
  async openDropped(files: File[]): Promise<void> {
    const pathOf = api.pathForFile;
    if (!pathOf) {
      this.message = null;
      this.error = 'Drag and drop needs the desktop app: a browser never tells the page where a dropped file is on disk. Type the path of the .alignpkg file (on the machine that runs the workbench).';
      return;
    }
    const paths = files.map((f) => pathOf(f)).filter((p) => p.toLowerCase().endsWith('.alignpkg'));
    if (paths.length === 0) {
      this.message = null;
      this.error = 'Drop a .alignpkg file (a package a study\'s owner sent you) from a file manager.';
      return;
    }
    for (const path of paths) await this.open(path);
  }

  async exportTo(packageId: string): Promise<void> {
    await reportFailure(this, async () => {
      const r = await api.call('annotationPackages.export', { packageId, out: this.exportPath.trim() });
      this.message = `Wrote ${r.annotations} of ${r.items} annotations to ${r.path}. Send this file back to the study's owner.`;
    });
  }

  // OWNER

  async create(runId: number | null): Promise<void> {
    await reportFailure(this, async () => {
      const r = await api.call('annotationPackages.create', {
        studyName: this.studyName.trim(),
        selection: runId !== null ? { runIds: [runId] } : {},
        annotators: splitList(this.annotators),
        overlapPercent: this.overlapPercent,
        seed: this.seed,
        blind: this.blind,
        guidelines: this.guidelines,
        outDir: this.outDir.trim(),
      });
      this.message = `Packaged ${r.items} outputs (${r.overlapItems} for everyone): ${r.files.map((f) => `${f.path} (${f.items})`).join(', ')}.`;
      this.studyId = r.studyId;
      await this.load();
    });
  }

  /** A returned file chosen in the native dialog joins the list to merge. */
  addMergePath(path: string): void {
    this.mergePaths = [...splitList(this.mergePaths), path].join('\n');
  }

  async merge(): Promise<void> {
    await reportFailure(this, async () => {
      const r = await api.call('annotationPackages.merge', { files: splitList(this.mergePaths) });
      this.message = `Merged ${r.files.map((f) => `${f.annotator}: ${f.written} new, ${f.unchanged} unchanged`).join('; ')}.`;
      this.mergePaths = '';
      this.studyId = r.studyId;
      await this.load();
    });
  }

  async selectStudy(studyId: string | null): Promise<void> {
    this.studyId = studyId;
    this.report = null;
    await this.load();
  }
}

export const annotationPackages = new AnnotationPackagesState();

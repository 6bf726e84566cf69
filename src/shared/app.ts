/** The workbench itself: what the app is and its settings, first-run state. */
import type { DatasetInfo } from './datasets';
import type { Lang, MethodName } from './domain';

export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'ipc' | 'http' | 'cli';
  /** Methods, URIAL prompt languages shipped, etc.: what the run composer may offer. */
  methods: MethodName[];
  urialPromptLangs: Lang[];
  /** Whether `app.pickFile` can open a native file dialog (desktop app only). */
  canPickFiles: boolean;
}

export interface AppSettings {
  /** Where downloaded models are saved. */
  downloadDir: string;
  /** A folder holding the official files (layout of ../shared/data: urial_prompts/, just_eval/), or null. */
  referenceDir: string | null;
}

export interface FirstRunInfo {
  /** True until the user has a model or dismisses the welcome screen. */
  showWelcome: boolean;
  /** The built-in EN/FR/ES sample, imported once into an empty store. */
  sampleDatasets: DatasetInfo[];
  modelCount: number;
  /** What is done so far, so each welcome step can tick. */
  progress: WorkbenchProgress;
}

/** Counts of what the user has made; finished runs are runs whose status is done. */
export interface WorkbenchProgress {
  models: number;
  datasets: number;
  finishedRuns: number;
  /** Current annotations (edits not counted twice). */
  annotations: number;
  judgeCalls: number;
}

/** What a native file dialog offers: GGUF models, datasets, annotation packages (.alignpkg) and returned annotations (.alignann). */
export type FileKind = 'model' | 'dataset' | 'package' | 'annotations';

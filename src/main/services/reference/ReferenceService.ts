import type { ReferenceFetchProgress, ReferenceFetchResult, ReferenceStatus } from '../../../shared/reference';
import { defaultReferenceDir, fetchReferenceFiles, referenceRoots, referenceStatus, verifiedUrialDir, type ReferenceLocations } from '../../core/reference';
import type { AppSettingsService } from '../app/appSettings';
import { justEvalTemplatesDir } from './justEvalTemplatesDir';

export interface ReferenceOptions {
  /** ALIGN_REFERENCE_DIR: a folder of official files, searched after the setting. */
  envDir?: string;
  /** ALIGN_REFERENCE_BASE_URL, for tests only: a loopback server instead of raw.githubusercontent.com. */
  baseUrl?: string;
  /** The last folder searched (after the setting, ALIGN_REFERENCE_DIR and the data folder's copy): a checkout's ../shared/data. */
  fallbackDir?: string;
}

/**
 * The official files the paper's numbers depend on (core/reference): their state, the fetch into
 * `<data folder>/reference`, and the verified URIAL folder English URIAL prompts come from. Locations are read
 * at each call, so a changed setting or a fetch takes effect at once.
 */
export class ReferenceService {
  constructor(
    private readonly settings: AppSettingsService,
    private readonly dataDir: string,
    private readonly options: ReferenceOptions,
    private readonly onProgress: (progress: ReferenceFetchProgress) => void,
  ) {}

  locations(): ReferenceLocations {
    return { setting: this.settings.read().referenceDir ?? undefined, env: this.options.envDir, dataDir: this.dataDir };
  }

  /** Per-file state; `verify` (default) hashes every file found (~100 KB in all). */
  status(verify = true): ReferenceStatus {
    const locations = this.locations();
    return {
      roots: referenceRoots(locations),
      downloadDir: defaultReferenceDir(this.dataDir),
      files: referenceStatus(locations, { verify }),
      urialDir: this.urialDir() ?? null,
    };
  }

  /** The folder of the official Just-Eval judge templates, or an error naming the folders tried and how to set one. */
  justEvalTemplatesDir(): string {
    return justEvalTemplatesDir({ ...this.locations(), fallback: this.options.fallbackDir });
  }

  /** The folder of a verified official `inst_1k_v4.txt`, if any. */
  urialDir(): string | undefined {
    return verifiedUrialDir(this.locations());
  }

  /** Fetches every pinned file not already verified in the download folder; one failure does not stop the others. */
  async fetch(signal?: AbortSignal): Promise<ReferenceFetchResult> {
    const results: ReferenceFetchProgress[] = [];
    await fetchReferenceFiles({
      destDir: defaultReferenceDir(this.dataDir),
      baseUrl: this.options.baseUrl,
      signal,
      onFile: (result, index, total) => {
        const progress = { ...result, index, total };
        results.push(progress);
        this.onProgress(progress);
      },
    });
    return { results, failed: results.filter((r) => r.outcome === 'failed').length, status: this.status() };
  }
}

import type { DetectorInput, DetectorResult } from '../../../shared/detection';

export { CRITICAL_LABELS } from '../../../shared/detection';
export type { CriticalLabel, DetectorInput, DetectorResult, Evidence, Finding } from '../../../shared/detection';

export interface Detector<Settings = Record<string, number>> {
  readonly name: string;
  /** Bumped whenever the logic changes what it finds. */
  readonly version: string;
  readonly defaultSettings: Settings;
  detect(input: DetectorInput, settings: Settings): DetectorResult | Promise<DetectorResult>;
}

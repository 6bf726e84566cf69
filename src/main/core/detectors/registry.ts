import { codeDetector } from './codeDetector';
import type { Detector, DetectorInput, DetectorResult } from './Detector';
import { languageDetector } from './languageDetector';
import { loopDetector } from './loopDetector';

/** Every built-in detector, in the order their results are reported. */
export const DETECTORS: readonly Detector[] = [loopDetector, codeDetector, languageDetector];

/** The detector called `name`; an unknown name is an error that lists the known ones. */
export function getDetector(name: string): Detector {
  const d = DETECTORS.find((x) => x.name === name);
  if (!d) throw new Error(`unknown detector "${name}"; known detectors: ${DETECTORS.map((x) => x.name).join(', ')}`);
  return d;
}

/**
 * Runs every detector on one generation. `settings[name]` overrides that detector's defaults key
 * by key; an unknown detector name or setting key is an error (a typo would otherwise silently
 * leave a default in force).
 */
export async function runDetectors(
  input: DetectorInput,
  settings: Partial<Record<string, Record<string, number>>> = {},
): Promise<DetectorResult[]> {
  for (const name of Object.keys(settings)) getDetector(name);
  return Promise.all(
    DETECTORS.map(async (d) => {
      const overrides = settings[d.name] ?? {};
      for (const key of Object.keys(overrides)) {
        if (!(key in d.defaultSettings)) {
          throw new Error(`unknown setting "${key}" for detector "${d.name}"; known: ${Object.keys(d.defaultSettings).join(', ')}`);
        }
      }
      return d.detect(input, { ...d.defaultSettings, ...overrides });
    }),
  );
}

import { DEFAULT_SAMPLER } from '../../../shared/defaults';
import type { SamplerConfig } from '../../../shared/domain';
import { DECODING_PRESETS as NAMED_PRESETS, isDecodingPresetName, type DecodingPresetName } from '../../../shared/presets';

/** The composer starts from the backend's defaults, so "Greedy" means the same in the CLI and the app. */
export const INITIAL_SAMPLER: SamplerConfig = DEFAULT_SAMPLER;

/**
 * The composer's presets. The named ones (src/shared/presets.ts) come first: they are the most specific (the URIAL
 * reference is greedy too), and a run created from one records its name.
 */
export const DECODING_PRESETS = {
  'urial-reference': NAMED_PRESETS['urial-reference'],
  greedy: { label: 'Greedy (temperature 0)', values: { temperature: 0, topP: 1, topK: 0, minP: 0 } },
  sampled: { label: 'Sampled (temperature 0.3, top-p 1)', values: { temperature: 0.3, topP: 1, topK: 0, minP: 0 } },
} as const satisfies Record<string, { label: string; values: Partial<SamplerConfig> }>;

export type DecodingPreset = keyof typeof DECODING_PRESETS;

/** The named preset a composer preset records with the run, if it is one. */
export const namedPreset = (preset: DecodingPreset | 'custom'): DecodingPresetName | undefined => (preset === 'urial-reference' ? preset : undefined);

/**
 * Every field some preset sets, at the backend's defaults: choosing a preset sets all of them, so leaving the
 * URIAL reference for "Greedy" also undoes its repetition penalty and token budget.
 */
export function presetSampler(name: DecodingPreset): Partial<SamplerConfig> {
  const fields = new Set(Object.values(DECODING_PRESETS).flatMap((p) => Object.keys(p.values))) as Set<keyof SamplerConfig>;
  const defaults = Object.fromEntries([...fields].map((k) => [k, INITIAL_SAMPLER[k]])) as Partial<SamplerConfig>;
  return { ...defaults, ...DECODING_PRESETS[name].values };
}

/** Which preset the sampler matches, or 'custom' once a preset field was edited. */
export function presetOf(sampler: SamplerConfig): DecodingPreset | 'custom' {
  for (const [name, preset] of Object.entries(DECODING_PRESETS) as [DecodingPreset, { values: Partial<SamplerConfig> }][]) {
    const matches = Object.entries(preset.values).every(([k, v]) => JSON.stringify(sampler[k as keyof SamplerConfig]) === JSON.stringify(v));
    if (matches) return name;
  }
  return 'custom';
}

/** A recorded preset's label ("URIAL reference (Just-Eval runs)"); an unknown name as it is. */
export const presetLabel = (name: string): string => (isDecodingPresetName(name) ? NAMED_PRESETS[name].label : name);

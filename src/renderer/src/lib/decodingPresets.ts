import { DEFAULT_SAMPLER } from '../../../shared/defaults';
import type { SamplerConfig } from '../../../shared/domain';

/** The composer starts from the backend's defaults, so "Greedy" means the same in the CLI and the app. */
export const INITIAL_SAMPLER: SamplerConfig = DEFAULT_SAMPLER;

export const DECODING_PRESETS = {
  greedy: { label: 'Greedy (temperature 0)', values: { temperature: 0, topP: 1, topK: 0, minP: 0 } },
  sampled: { label: 'Sampled (temperature 0.3, top-p 1)', values: { temperature: 0.3, topP: 1, topK: 0, minP: 0 } },
} as const satisfies Record<string, { label: string; values: Partial<SamplerConfig> }>;

export type DecodingPreset = keyof typeof DECODING_PRESETS;

/** Which preset the sampler matches, or 'custom' once a preset field was edited. */
export function presetOf(sampler: SamplerConfig): DecodingPreset | 'custom' {
  for (const [name, preset] of Object.entries(DECODING_PRESETS) as [DecodingPreset, (typeof DECODING_PRESETS)[DecodingPreset]][]) {
    if (Object.entries(preset.values).every(([k, v]) => sampler[k as keyof SamplerConfig] === v)) return name;
  }
  return 'custom';
}

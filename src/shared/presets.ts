import type { SamplerConfig } from './domain';

/**
 * Named decoding presets. A run created from a preset records the preset's name (`RunConfig.preset`) next to
 * the full sampler, so a table can say "URIAL reference" and a reader can check that every value still matches
 * (`matchesPreset`).
 */
export interface DecodingPreset {
  label: string;
  /** Where the values come from, shown next to the preset and in the README. */
  source: string;
  /** The sampler fields the preset fixes; the others (seed…) stay the run's own. */
  values: Partial<SamplerConfig>;
}

export const DECODING_PRESET_NAMES = ['urial-reference'] as const;
export type DecodingPresetName = (typeof DECODING_PRESET_NAMES)[number];

/**
 * "URIAL reference (Just-Eval runs)": the URIAL authors' Just-Eval generation with vLLM (Re-Align/URIAL,
 * `src/vllm_infer/README.md`, later `src/legacy/vllm_infer/README.md`: `--data_name just_eval --top_p 1
 * --temperature 0 --repetition_penalty 1.1 --max_tokens 4096`). vLLM's repetition penalty covers the prompt and
 * the output, hence the window "all"; the early loop stop is off because it changes outputs the reference kept.
 * The stops (`# Query`, `# User`) belong to the URIAL prompt method, not to the sampler.
 */
export const DECODING_PRESETS: Readonly<Record<DecodingPresetName, DecodingPreset>> = {
  'urial-reference': {
    label: 'URIAL reference (Just-Eval runs)',
    source:
      'Re-Align/URIAL src/vllm_infer/README.md (just_eval: top_p 1, temperature 0, repetition_penalty 1.1, max_tokens 4096)',
    values: {
      temperature: 0,
      topP: 1,
      topK: 0,
      minP: 0,
      repeatPenalty: 1.1,
      repeatPenaltyWindow: 'all',
      maxTokens: 4096,
      loopStop: { enabled: false, sensitivity: 'medium' },
    },
  },
};

export function isDecodingPresetName(name: string): name is DecodingPresetName {
  return (DECODING_PRESET_NAMES as readonly string[]).includes(name);
}

/** `sampler` with the preset's values applied over it. Throws on an unknown name, listing the known ones. */
export function applyDecodingPreset(name: string, sampler: SamplerConfig): SamplerConfig {
  if (!isDecodingPresetName(name)) {
    throw new Error(`Unknown decoding preset "${name}". Known presets: ${DECODING_PRESET_NAMES.join(', ')}.`);
  }
  return { ...sampler, ...DECODING_PRESETS[name].values };
}

/**
 * The preset fields where `sampler` differs from the preset (empty when it matches). A run whose sampler was
 * edited after choosing a preset must not carry the preset's name.
 */
export function presetDeviations(name: DecodingPresetName, sampler: SamplerConfig): string[] {
  return Object.entries(DECODING_PRESETS[name].values).flatMap(([key, expected]) => {
    const actual = sampler[key as keyof SamplerConfig];
    return JSON.stringify(actual) === JSON.stringify(expected) ? [] : [key];
  });
}

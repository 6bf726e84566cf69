import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLER } from '../../../src/shared/defaults';
import { applyDecodingPreset, DECODING_PRESETS, presetDeviations } from '../../../src/shared/presets';

describe('URIAL reference decoding preset', () => {
  it('is greedy, repetition penalty 1.1 over prompt and output, loop stop off, 4096 tokens', () => {
    const s = applyDecodingPreset('urial-reference', DEFAULT_SAMPLER);
    expect(s).toMatchObject({ temperature: 0, topP: 1, repeatPenalty: 1.1, repeatPenaltyWindow: 'all', maxTokens: 4096 });
    expect(s.loopStop?.enabled).toBe(false);
    // The run's own seed is kept.
    expect(s.seed).toBe(DEFAULT_SAMPLER.seed);
    expect(DECODING_PRESETS['urial-reference'].source).toMatch(/Re-Align\/URIAL .*repetition_penalty 1\.1, max_tokens 4096/);
  });

  it('names the fields edited after choosing it', () => {
    const s = applyDecodingPreset('urial-reference', DEFAULT_SAMPLER);
    expect(presetDeviations('urial-reference', s)).toEqual([]);
    expect(presetDeviations('urial-reference', { ...s, repeatPenaltyWindow: 64, loopStop: { enabled: true, sensitivity: 'medium' } })).toEqual([
      'repeatPenaltyWindow',
      'loopStop',
    ]);
    expect(presetDeviations('urial-reference', DEFAULT_SAMPLER)).toContain('repeatPenalty');
  });

  it('rejects an unknown preset, listing the known ones', () => {
    expect(() => applyDecodingPreset('fast', DEFAULT_SAMPLER)).toThrow('Unknown decoding preset "fast". Known presets: urial-reference.');
  });
});

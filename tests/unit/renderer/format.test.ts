import { describe, expect, it } from 'vitest';
import { INITIAL_SAMPLER, namedPreset, presetOf, presetSampler } from '../../../src/renderer/src/lib/decodingPresets';
import { presetDeviations } from '../../../src/shared/presets';
import { formatBytes, formatDuration, formatParams, formatRate, shortHash } from '../../../src/renderer/src/lib/format';

describe('format', () => {
  it('parameter counts in human units', () => {
    expect(formatParams(1_100_048_384)).toBe('1.1B');
    expect(formatParams(494_032_768)).toBe('494M');
    expect(formatParams(135_000_000)).toBe('135M');
    expect(formatParams(7_241_732_096)).toBe('7.2B');
    expect(formatParams(null)).toBe('?');
  });

  it('file sizes in binary units', () => {
    expect(formatBytes(668_788_096)).toBe('638 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12)).toBe('12 B');
  });

  it('durations', () => {
    expect(formatDuration(null)).toBe('unknown');
    expect(formatDuration(0.4)).toBe('< 1 s');
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(95)).toBe('1 min 35 s');
    expect(formatDuration(7260)).toBe('2 h 1 min');
  });

  it('speeds and hashes', () => {
    expect(formatRate(0)).toBe('–');
    expect(formatRate(12.345)).toBe('12 tok/s');
    expect(formatRate(3.21)).toBe('3.2 tok/s');
    expect(shortHash('a'.repeat(64))).toBe(`${'a'.repeat(12)}…`);
  });
});

describe('presetOf', () => {
  const base = { maxTokens: 512, temperature: 0, topP: 1, topK: 0, minP: 0, seed: 1, repeatPenalty: 1, repeatPenaltyWindow: 'all' as const };
  it('recognizes greedy and sampled, and anything else as custom', () => {
    expect(presetOf(base)).toBe('greedy');
    expect(presetOf({ ...base, temperature: 0.3 })).toBe('sampled');
    expect(presetOf({ ...base, temperature: 0.7 })).toBe('custom');
    expect(presetOf({ ...base, temperature: 0.3, topK: 40 })).toBe('custom');
  });
});

describe('the URIAL reference preset in the composer', () => {
  it('is recognized before greedy (it is greedy too) and leaving it undoes its extra fields', () => {
    const reference = { ...INITIAL_SAMPLER, ...presetSampler('urial-reference') };
    expect(presetDeviations('urial-reference', reference)).toEqual([]);
    expect(presetOf(reference)).toBe('urial-reference');
    expect(namedPreset(presetOf(reference))).toBe('urial-reference');
    // One field edited: no longer the preset, and not recorded as it.
    expect(presetOf({ ...reference, repeatPenalty: 1.2 })).toBe('greedy');
    const greedy = { ...reference, ...presetSampler('greedy') };
    expect(greedy).toMatchObject({ repeatPenalty: INITIAL_SAMPLER.repeatPenalty, maxTokens: INITIAL_SAMPLER.maxTokens, loopStop: INITIAL_SAMPLER.loopStop });
    expect(presetOf(greedy)).toBe('greedy');
    expect(namedPreset('greedy')).toBeUndefined();
  });
});

import { describe, expect, it } from 'vitest';
import { contextBoundProblem, judgeFit, MAX_CONTEXT_OVER_TRAINED } from '../../../src/main/core/inference/llama/memoryFit';

const GiB = 1024 ** 3;
const MiB = 1024 ** 2;

describe('judgeFit', () => {
  it('fits when model + context are within the free RAM and VRAM', () => {
    const v = judgeFit({ model: { ram: 1 * GiB, vram: 0 }, context: { ram: 512 * MiB, vram: 0 } }, { ram: 8 * GiB, vram: 0 });
    expect(v).toMatchObject({ fits: true, problem: null, required: { ram: 1.5 * GiB, vram: 0 } });
  });

  it('says how much RAM is needed and free, and what to do, when it does not fit', () => {
    const v = judgeFit({ model: { ram: 2 * GiB, vram: 0 }, context: { ram: 30 * GiB, vram: 0 } }, { ram: 16 * GiB, vram: 0 });
    expect(v.fits).toBe(false);
    expect(v.problem).toBe(
      'it needs about 32 GiB of RAM (model 2 GiB + context 30 GiB) but 16 GiB is free: it does not fit in memory. ' +
        'Use a smaller context size, fewer parallel sequences, or a smaller quantization.',
    );
  });

  it('reports GPU memory separately, with the GPU-specific way out', () => {
    const v = judgeFit({ model: { ram: 100 * MiB, vram: 3 * GiB }, context: { ram: 0, vram: 2 * GiB } }, { ram: 8 * GiB, vram: 4 * GiB });
    expect(v.fits).toBe(false);
    expect(v.problem).toMatch(/^it needs about 5 GiB of GPU memory \(model 3 GiB \+ context 2 GiB\) but 4 GiB is free.*Offload fewer layers/);
    expect(v.problem).not.toMatch(/of RAM/);
  });
});

describe('contextBoundProblem', () => {
  it('accepts contexts up to the bound and unknown trained contexts', () => {
    expect(contextBoundProblem(2048 * MAX_CONTEXT_OVER_TRAINED, 2048)).toBeNull();
    expect(contextBoundProblem(5000, 2048)).toBeNull();
    expect(contextBoundProblem(10_000_000, null)).toBeNull();
  });

  it('refuses an absurd context with the trained size and the limit', () => {
    expect(contextBoundProblem(1_000_000, 2048)).toBe(
      `a context of 1,000,000 tokens is 488× the model's trained context (2,048 tokens); at most ${MAX_CONTEXT_OVER_TRAINED}× ` +
        `(${(2048 * MAX_CONTEXT_OVER_TRAINED).toLocaleString('en-US')}) is accepted. Use a smaller context size or max tokens.`,
    );
  });
});

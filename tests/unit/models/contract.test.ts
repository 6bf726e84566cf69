import { describe, expect, it } from 'vitest';
import { apiRequestSchemas } from '../../../src/shared/apiSchemas';

const plan = { models: ['1'], methods: ['chat'], datasets: ['1'] };

describe('model-library requests at the transport boundary', () => {
  it('GPU offload: auto, cpu or a whole number of layers', () => {
    for (const gpu of ['auto', 'cpu', 0, 33]) expect(apiRequestSchemas['runs.plan'].safeParse({ ...plan, backend: { gpu } }).success).toBe(true);
    for (const gpu of ['gpu', -1, 2.5, '12']) expect(apiRequestSchemas['runs.plan'].safeParse({ ...plan, backend: { gpu } }).success).toBe(false);
  });

  it('families in a plan; roles from the fixed list', () => {
    expect(apiRequestSchemas['runs.plan'].safeParse({ models: [], methods: [], families: ['Qwen2.5'], datasets: ['1'] }).success).toBe(true);
    expect(apiRequestSchemas['models.setFamily'].safeParse({ modelId: 1, familyId: 2, role: 'dpo' }).success).toBe(true);
    expect(apiRequestSchemas['models.setFamily'].safeParse({ modelId: 1, familyId: null }).success).toBe(true);
    expect(apiRequestSchemas['models.setFamily'].safeParse({ modelId: 1, familyId: 2, role: 'rlhf' }).success).toBe(false);
    expect(apiRequestSchemas['families.create'].safeParse({ name: '   ' }).success).toBe(false);
  });

  it('a memory check needs a positive whole context size', () => {
    expect(apiRequestSchemas['models.fit'].safeParse({ modelId: 1, contextSize: 4096, parallel: 2, gpu: 'cpu' }).success).toBe(true);
    expect(apiRequestSchemas['models.fit'].safeParse({ modelId: 1, contextSize: 0 }).success).toBe(false);
    expect(apiRequestSchemas['models.fit'].safeParse({ modelId: 1, contextSize: 1.5 }).success).toBe(false);
  });
});

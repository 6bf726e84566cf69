import { describe, expect, it } from 'vitest';
import { welcomeSteps } from '../../../src/renderer/src/lib/welcomeSteps';

const none = { models: 0, datasets: 0, finishedRuns: 0, annotations: 0, judgeCalls: 0 };
const idle = { models: 0, datasets: 0, finishedRuns: 0, opened: false };

describe('welcomeSteps', () => {
  it('ticks nothing on an empty store, and each step from the stored counts', () => {
    expect(welcomeSteps(none, idle)).toEqual({ model: false, dataset: false, run: false, read: false });
    expect(welcomeSteps({ ...none, datasets: 3, finishedRuns: 1, judgeCalls: 4 }, idle)).toEqual({ model: false, dataset: true, run: true, read: true });
    expect(welcomeSteps({ ...none, annotations: 1 }, idle).read).toBe(true);
  });

  it('ticks from what happened since the counts were read', () => {
    expect(welcomeSteps(null, { models: 1, datasets: 0, finishedRuns: 1, opened: true })).toEqual({ model: true, dataset: false, run: true, read: true });
  });
});

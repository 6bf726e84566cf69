import { describe, expect, it } from 'vitest';
import { loopDetector } from '../../../src/main/core/detectors/loopDetector';

describe('loop detector on an output cut by the early loop stop', () => {
  it('labels it infinite-loop even though the stop kept the loop short', () => {
    const raw = 'Lily went to the park with her mom and saw a big tree near the pond. ' + 'It is not a boy. '.repeat(5);
    const input = { outputRaw: raw, output: raw, outputTokens: 60, maxTokens: 1500, expectedLang: 'en', instruction: '', taskTypes: null };
    const stopped = loopDetector.detect({ ...input, finishReason: 'loop' }, loopDetector.defaultSettings);
    expect(stopped.findings.map((f) => f.label)).toEqual(['infinite-loop']);
    expect(stopped.signals.stoppedForLoop).toBe(true);
    // The same text ended by the model itself is not enough on its own.
    const ended = loopDetector.detect({ ...input, finishReason: 'eos' }, loopDetector.defaultSettings);
    expect(ended.signals.stoppedForLoop).toBe(false);
  });
});

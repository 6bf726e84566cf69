import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SamplerConfig } from '../../src/shared/domain';
import { LlamaBackend } from '../../src/main/core/inference/llama/LlamaBackend';
import { loopDetector } from '../../src/main/core/detectors/loopDetector';
import { STORIES } from '../support/paths';
import { GREEDY, rawPrompt } from '../support/prompts';

const greedy: SamplerConfig = { ...GREEDY, maxTokens: 1500, loopStop: { enabled: true, sensitivity: 'medium' } };
const off = { enabled: false, sensitivity: 'medium' } as const;
const raw = rawPrompt;

describe('early loop stop on stories260K', () => {
  let backend: LlamaBackend;
  beforeAll(async () => {
    backend = await LlamaBackend.load({ modelPath: STORIES, gpu: 'cpu', threads: 1 });
    await backend.configure({ contextSize: 2048, parallel: 1 });
  });
  afterAll(() => backend.dispose());

  it('stops a greedy loop early with finish reason "loop", keeping the looping text', async () => {
    const stopped = await backend.generate({ prompt: raw('Lily and Tom went to the park.'), sampler: greedy });
    const full = await backend.generate({ prompt: raw('Lily and Tom went to the park.'), sampler: { ...greedy, loopStop: off } });
    expect(stopped.finishReason).toBe('loop');
    expect(stopped.outputTokens).toBeLessThan(0.4 * greedy.maxTokens);
    expect(full.finishReason).toBe('max-tokens');
    expect(full.outputTokens).toBe(greedy.maxTokens);
    // Same tokens up to the stop: the stop only cuts, it never changes what is generated.
    expect(full.text.startsWith(stopped.text)).toBe(true);
    // The evidence is kept: the output ends with copies of one unit.
    const tail = stopped.text.slice(-40);
    expect(stopped.text.slice(0, -40)).toContain(tail.slice(0, 20));
  });

  it('absent loopStop (a run config stored before it existed) resumes as it began: no early stop', async () => {
    const { loopStop: _omit, ...older } = greedy;
    const r = await backend.generate({ prompt: raw('Lily and Tom went to the park.'), sampler: older });
    expect(r.finishReason).toBe('max-tokens');
  });

  it('does not cut an output that does not loop', async () => {
    const sampled: SamplerConfig = { ...greedy, temperature: 0.8, seed: 1, maxTokens: 200 };
    const prompt = raw('Once upon a time, there was a little dog named Max.');
    const without = await backend.generate({ prompt, sampler: { ...sampled, loopStop: off } });
    const detected = loopDetector.detect(
      { outputRaw: without.text, output: without.text, finishReason: without.finishReason, outputTokens: without.outputTokens, maxTokens: 200, expectedLang: 'en', instruction: '', taskTypes: null },
      loopDetector.defaultSettings,
    );
    expect(detected.findings.map((f) => f.label)).not.toContain('infinite-loop');
    for (const sensitivity of ['low', 'medium', 'high'] as const) {
      const withStop = await backend.generate({ prompt, sampler: { ...sampled, loopStop: { enabled: true, sensitivity } } });
      expect(withStop.finishReason).toBe(without.finishReason);
      expect(withStop.text).toBe(without.text);
    }
    expect(without.finishReason).toBe('max-tokens');
  });
});

// runs.plan warns before a doomed run, with numbers from the real GGUFs (stories260K: trained context and no chat
// template; its ChatML copy: a chat template) and the official URIAL prompt tokenized by the model's tokenizer.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countPromptTokens, getLlamaRuntime, inspectGguf } from '../../src/main/core/inference';
import { openApiHarness } from '../support/apiHarness';
import { REPO, STORIES, STORIES_CHATML, URIAL_DIR } from '../support/paths';

describe('runs.plan warnings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-plan-warnings-'));
  let harness: ReturnType<typeof openApiHarness>;
  const call: ReturnType<typeof openApiHarness>['call'] = (method, params) => harness.call(method, params);
  beforeAll(() => {
    harness = openApiHarness(dir);
  });
  afterAll(async () => {
    await harness.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts the URIAL prompt with the model tokenizer and says prompt + max tokens > trained context', async () => {
    const context = (await inspectGguf(STORIES, await getLlamaRuntime('cpu'))).summary.trainContextSize!;
    // The official inst_1k_v4 preamble alone is ~3.35k stories260K tokens (DESIGN §3) against a trained context of 2,048.
    const [preamble] = await countPromptTokens(STORIES, readFileSync(join(URIAL_DIR, 'inst_1k_v4.txt'), 'utf8'), ['']);
    expect(context).toBe(2048);
    expect(preamble).toBeGreaterThan(3000);

    const model = await call('models.add', { path: STORIES });
    await call('datasets.import', { path: join(REPO, 'resources/datasets/sample.en.jsonl'), lang: 'en', name: 'en' });
    const plan = await call('runs.plan', { models: [String(model.id)], methods: ['zero-shot', 'urial', 'chat'], datasets: ['en'], sampler: { maxTokens: 256 } });
    const [urial, chat, ...rest] = plan.warnings;
    expect(rest).toEqual([]);
    const m = /^stories260K · urial \(en\): the longest prompt plus max tokens exceed the model's trained context: ([\d,]+) \+ 256 > ([\d,]+) tokens\. The prompt alone does not fit/.exec(urial!);
    expect(m, urial).not.toBeNull();
    const longest = Number(m![1]!.replace(/,/g, ''));
    // The preamble + the longest instruction and the assistant cue: more than the preamble, within a few hundred.
    expect(longest).toBeGreaterThan(preamble!);
    expect(longest).toBeLessThan(preamble! + 400);
    expect(Number(m![2]!.replace(/,/g, ''))).toBe(context);
    expect(chat).toMatch(/^stories260K · chat: the model has no chat template \(a base model\?\)/);

    // Zero-shot alone with few tokens: nothing to say.
    expect((await call('runs.plan', { models: [String(model.id)], methods: ['zero-shot'], datasets: ['en'], sampler: { maxTokens: 32 } })).warnings).toEqual([]);
  });

  it('says URIAL targets a model with a chat template, and is quiet for chat on it', async () => {
    const chatModel = await call('models.add', { path: STORIES_CHATML });
    const plan = await call('runs.plan', { models: [String(chatModel.id)], methods: ['urial', 'chat'], datasets: ['en'], sampler: { maxTokens: 32 } });
    expect(plan.warnings.filter((w) => /chat template/.test(w))).toEqual([
      expect.stringMatching(/^stories260K-chatml · urial \(en\): the model has a chat template \(an instruction-tuned model\)\. URIAL is meant for base models; the run is allowed/),
    ]);
  });
});

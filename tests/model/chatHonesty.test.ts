import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JinjaTemplateChatWrapper, type LlamaModel } from 'node-llama-cpp';
import { LlamaBackend } from '../../src/main/core/inference';
import { getLlamaRuntime } from '../../src/main/core/inference/llama/getLlamaRuntime';
import { pinnedDateSettings, resolveRunChatWrapper, strftime } from '../../src/main/core/inference/llama/runChatWrapper';
import { chatMethod } from '../../src/main/core/prompting/chat';
import { STORIES_CHATML, VOCAB_PHI3 } from '../support/paths';

const item = { id: '1', instruction: 'Tell me a story.', metadata: {} };

describe('chat template honesty', { timeout: 120_000 }, () => {
  let backend: LlamaBackend;
  let phi3: LlamaModel;

  beforeAll(async () => {
    backend = await LlamaBackend.load({ modelPath: STORIES_CHATML, gpu: 'cpu', threads: 1 });
    // Vocab-only: enough to resolve and render its real chat template, which has no system role.
    phi3 = await (await getLlamaRuntime('cpu')).loadModel({ modelPath: VOCAB_PHI3, gpuLayers: 0, vocabOnly: true });
  });
  afterAll(async () => {
    await backend.dispose();
    await phi3.dispose();
  });

  it('says when the GGUF Jinja template was replaced by a built-in wrapper (stories260K-chatml)', () => {
    const prompt = chatMethod.prepare({ method: 'chat', systemPrompt: 'Be kind.', chatDate: '2024-07-26' }).build(item);
    expect(backend.describePrompt(prompt)).toEqual({
      chatWrapper: 'ChatMLChatWrapper',
      chatTemplateSource: 'built-in node-llama-cpp wrapper',
      chatSystemRole: 'yes',
      chatDate: '2024-07-26',
    });
  });

  it("records phi-3's own Jinja template and its missing system role", () => {
    const { wrapper, info } = resolveRunChatWrapper(phi3, {});
    expect(wrapper).toBeInstanceOf(JinjaTemplateChatWrapper);
    expect(info).toEqual({ chatWrapper: 'JinjaTemplateChatWrapper', ggufJinja: true, supportsSystemMessages: false });
  });

  it('refuses a system prompt on a template without a system role unless confirmed', () => {
    // Gemma's wrapper has no system role; forced on the loaded model by name, as a user can.
    const settings = { method: 'chat' as const, systemPrompt: 'Be kind.', chatTemplate: 'gemma' };
    expect(() => backend.describePrompt(chatMethod.prepare(settings).build(item))).toThrow(
      /\(GemmaChatWrapper\) has no system role: the system prompt would be folded into the user turn\. Remove the system prompt, or confirm/,
    );
    const confirmed = chatMethod.prepare({ ...settings, allowSystemFold: true });
    expect(confirmed.describe().systemFold).toBe('allowed');
    expect(backend.describePrompt(confirmed.build(item))).toMatchObject({
      chatWrapper: 'GemmaChatWrapper',
      chatSystemRole: 'no (system prompt folded into the user turn, as confirmed)',
    });
    // Without a system prompt there is nothing to fold.
    expect(() => backend.describePrompt(chatMethod.prepare({ method: 'chat', chatTemplate: 'gemma' }).build(item))).not.toThrow();
  });

  it('pins the date of date-printing templates', () => {
    const day = new Date('2024-07-26T00:00:00Z');
    expect(strftime(day, '%d %b %Y')).toBe('26 Jul 2024');
    // The Llama 3.x GGUF templates print "Today Date: " + date_string.
    const template = "{{ 'Today Date: ' + date_string + '\\n' }}{% for m in messages %}{{ m['role'] + ': ' + m['content'] + '\\n' }}{% endfor %}";
    const wrapper = new JinjaTemplateChatWrapper({ template, ...pinnedDateSettings(day).jinjaTemplate });
    const state = wrapper.generateContextState({ chatHistory: [{ type: 'user', text: 'hi' }, { type: 'model', response: [] }] });
    expect(state.contextText.toString()).toContain('Today Date: 26 Jul 2024');
  });
});

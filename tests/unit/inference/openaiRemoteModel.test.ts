import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/main/api/createApi';
import { createServices } from '../../../src/main/services/createServices';
import { modelsReply, startOpenAiLoopbackServer, type OpenAiLoopbackServer } from '../../support/openaiLoopbackServer';
import { REPO, URIAL_DIR } from '../../support/paths';

// The remote-model use cases in process: what `models add --openai` and the app's models.addRemote do.
describe('remote models in the library', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-remote-model-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
  const api = createApi(workbench, { transport: 'http' });
  let server: OpenAiLoopbackServer;

  beforeAll(async () => {
    server = await startOpenAiLoopbackServer();
    await workbench.datasets.import(join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), { lang: 'en', name: 'sample' });
  });
  afterAll(async () => {
    await server.close();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => server.reset());

  it('adds a served model as an openai: row with the identity sha256, and updates it when added again', async () => {
    server.script('/v1/models', { json: { data: [{ id: 'tiny-chat', object: 'model', owned_by: 'vllm', root: '/w/tiny', max_model_len: 2048 }] } });
    const reply = await api.handle('models.addRemote', { baseUrl: `${server.baseUrl}/v1/`, model: 'tiny-chat', endpoint: 'chat' });
    expect(reply.ok).toBe(true);
    const entry = (reply as { result: Record<string, unknown> }).result;
    expect(entry).toMatchObject({
      path: `openai:${server.baseUrl}/v1#tiny-chat`,
      name: 'tiny-chat',
      runnable: true,
      fileStatus: 'remote',
      metadata: { remote: { baseUrl: `${server.baseUrl}/v1`, model: 'tiny-chat', endpoint: 'chat' }, server: { root: '/w/tiny', maxModelLen: 2048 } },
    });
    expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);

    server.script('/v1/models', { json: modelsReply(['tiny-chat']) });
    const again = await workbench.library.addRemote({ baseUrl: server.baseUrl, model: 'tiny-chat', endpoint: 'completions' });
    expect(again.id).toBe(entry.id);
    expect(again.sha256).toBe(entry.sha256);
    expect(again.metadata).toMatchObject({ remote: { endpoint: 'completions' } });
    // Referred to by its identity too, e.g. `runs create --model openai:…#tiny-chat`.
    expect((await workbench.library.resolve(again.path)).id).toBe(again.id);
  });

  it('refuses, saying what to do: an unset key variable, a model the server does not serve, a bad URL or variable name', async () => {
    await expect(workbench.library.addRemote({ baseUrl: server.baseUrl, model: 'loopback-model', apiKeyEnv: 'ALIGN_SURELY_UNSET_KEY' })).rejects.toThrow(
      /ALIGN_SURELY_UNSET_KEY .*is not set/,
    );
    expect(server.requests).toHaveLength(0);
    await expect(workbench.library.addRemote({ baseUrl: server.baseUrl, model: 'loopback' })).rejects.toThrow(
      /does not serve "loopback"\. It serves: loopback-model\. Check the model name/,
    );
    const badUrl = await api.handle('models.addRemote', { baseUrl: 'not a url', model: 'm' });
    expect(badUrl).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    const keyInsteadOfName = await api.handle('models.addRemote', { baseUrl: server.baseUrl, model: 'm', apiKeyEnv: 'sk-123-abc' });
    expect(keyInsteadOfName).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    await expect(workbench.library.resolve(`openai:${server.baseUrl}/v1#unknown`)).rejects.toThrow(/No remote model .*models add --openai/);
  });

  it('refuses at planning a method the endpoint cannot take', async () => {
    server.script('/v1/models', { json: modelsReply(['chat-only']) }, { json: modelsReply(['base-only']) });
    const chatModel = await workbench.library.addRemote({ baseUrl: server.baseUrl, model: 'chat-only', endpoint: 'chat' });
    const baseModel = await workbench.library.addRemote({ baseUrl: server.baseUrl, model: 'base-only', endpoint: 'completions' });
    await expect(workbench.runs.plan({ model: String(chatModel.id), method: 'urial', dataset: 'sample' })).rejects.toThrow(
      /registered for the chat endpoint.*--endpoint completions/,
    );
    await expect(workbench.runs.plan({ model: String(baseModel.id), method: 'chat', dataset: 'sample' })).rejects.toThrow(
      /registered for the completions endpoint.*--endpoint chat/,
    );
    expect((await workbench.runs.plan({ model: String(chatModel.id), method: 'chat', dataset: 'sample' })).items).toBe(30);
    expect((await workbench.runs.plan({ model: String(baseModel.id), method: 'zero-shot', dataset: 'sample' })).items).toBe(30);
  });
});

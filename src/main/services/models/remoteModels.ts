import { createHash } from 'node:crypto';
import type { ModelInfo } from '../../../shared/domain';
import type { Backend } from '../../core/inference/Backend';
import {
  apiKeyFrom,
  connectRemoteModel,
  endpointMismatch,
  findServedModel,
  isRemoteModelPath,
  OpenAiClient,
  remoteModelConfig,
  remoteModelPath,
  storedRemoteModel,
} from '../../core/inference/openai';
import type { ModelRepo } from '../../store/ModelRepo';
import { NotFoundError } from '../errors';

export interface AddRemoteModelRequest {
  baseUrl: string;
  model: string;
  /** The environment variable holding the API key (read when the model is used; the key is never stored). */
  apiKeyEnv?: string;
  endpoint?: 'completions' | 'chat';
  name?: string;
}

/**
 * Adds (or updates) a model served by an OpenAI-compatible server, after checking that the server answers with
 * this key and serves this model name, so a typo fails here rather than at the first item of a run.
 * The row: path `openai:<base url>#<model>`, sha256 of that identity, `metadata.remote` = where and how to call it.
 */
export async function addRemoteModel(models: ModelRepo, request: AddRemoteModelRequest): Promise<ModelInfo> {
  const config = remoteModelConfig(request);
  const client = new OpenAiClient({ baseUrl: config.baseUrl, apiKey: apiKeyFrom(config), maxRetries: 1, timeoutMs: 30_000 });
  const listed = await client.models();
  const served = findServedModel(listed, config.model);
  if (!served) {
    const names = listed.map((m) => m.id);
    const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, … (${names.length} in all)` : names.join(', ') || 'nothing';
    throw new Error(`The server at ${config.baseUrl} does not serve "${config.model}". It serves: ${shown}. Check the model name.`);
  }
  const path = remoteModelPath(config.baseUrl, config.model);
  return models.upsert({
    path,
    name: request.name ?? config.model,
    sha256: createHash('sha256').update(path).digest('hex'),
    sizeBytes: 0,
    architecture: null,
    parameterCount: null,
    quantization: null,
    trainContextSize: null,
    chatTemplate: null,
    runnable: true,
    metadata: { remote: config, server: { id: served.id, ownedBy: served.ownedBy, root: served.root, maxModelLen: served.maxModelLen } },
  });
}

/** The run machinery's loader for `openai:` model paths: a connected backend, its key read from the environment now. */
export async function loadRemoteBackend(models: ModelRepo, path: string): Promise<Backend> {
  const model = models.byPath(path);
  if (!model) throw new NotFoundError(`No remote model "${path}" in the library. Add it with "models add --openai <base-url> --model <name>".`);
  const config = storedRemoteModel(path, model.metadata);
  return connectRemoteModel(config, { apiKey: apiKeyFrom(config), concurrency: 1 });
}

/** Refuses, at planning, a method whose prompts the remote model's endpoint cannot take (URIAL on a chat endpoint…). */
export function checkRemoteMethod(model: ModelInfo, promptKind: 'completion' | 'chat'): void {
  if (!isRemoteModelPath(model.path)) return;
  const mismatch = endpointMismatch(storedRemoteModel(model.path, model.metadata), promptKind);
  if (mismatch) throw new Error(`Model ${model.id}: ${mismatch}`);
}

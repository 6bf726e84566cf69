import { normalizeBaseUrl } from './baseUrl';
import type { ServerModel } from './OpenAiClient';

/**
 * A model served by an OpenAI-compatible server, as the model library stores it: the row's `path` is
 * `openai:<normalised base url>#<model name>` (also the judge cache identity of the same server model), and
 * `metadata.remote` holds the fields below. The API key itself is never stored: only the name of the
 * environment variable to read it from.
 */
export const REMOTE_MODEL_PREFIX = 'openai:';
export const REMOTE_ENDPOINTS = ['completions', 'chat'] as const;
export type RemoteEndpoint = (typeof REMOTE_ENDPOINTS)[number];

export interface RemoteModelConfig {
  baseUrl: string;
  model: string;
  apiKeyEnv?: string;
  /** completions: raw text (base models: zero-shot, URIAL); chat: the server applies the model's chat template. */
  endpoint: RemoteEndpoint;
}

export function remoteModelPath(baseUrl: string, model: string): string {
  return `${REMOTE_MODEL_PREFIX}${normalizeBaseUrl(baseUrl)}#${model}`;
}

export function isRemoteModelPath(path: string): boolean {
  return path.startsWith(REMOTE_MODEL_PREFIX);
}

/** Checks what a caller (CLI, API) asks to add, and returns it normalised. */
export function remoteModelConfig(input: { baseUrl: string; model: string; apiKeyEnv?: string; endpoint?: string }): RemoteModelConfig {
  const model = input.model.trim();
  if (model.length === 0) throw new Error('A remote model needs a model name (the name the server serves it under, e.g. from GET /v1/models).');
  const endpoint = input.endpoint ?? 'chat';
  if (!(REMOTE_ENDPOINTS as readonly string[]).includes(endpoint))
    throw new Error(`Unknown endpoint "${endpoint}": use "completions" (base models: zero-shot, URIAL) or "chat" (chat models).`);
  if (input.apiKeyEnv !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*$/.test(input.apiKeyEnv))
    throw new Error(`"${input.apiKeyEnv}" is not an environment variable name: give the variable's name, not the key itself.`);
  return {
    baseUrl: normalizeBaseUrl(input.baseUrl),
    model,
    ...(input.apiKeyEnv ? { apiKeyEnv: input.apiKeyEnv } : {}),
    endpoint: endpoint as RemoteEndpoint,
  };
}

/** The remote settings of a stored model row; a clear error when the row is not (or no longer) a valid remote model. */
export function storedRemoteModel(path: string, metadata: Record<string, unknown>): RemoteModelConfig {
  const remote = metadata.remote as Partial<RemoteModelConfig> | undefined;
  if (!remote || typeof remote.baseUrl !== 'string' || typeof remote.model !== 'string')
    throw new Error(`The model "${path}" has no remote settings in the library. Add it again with "models add --openai <base-url> --model <name>".`);
  return remoteModelConfig(remote as RemoteModelConfig);
}

/** The API key from the environment variable the model names; an unset variable is an error, not a silent anonymous call. */
export function apiKeyFrom(config: RemoteModelConfig, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (!config.apiKeyEnv) return undefined;
  const key = env[config.apiKeyEnv];
  if (!key) throw new Error(`The environment variable ${config.apiKeyEnv} (the API key of ${config.baseUrl}) is not set. Set it before starting the workbench.`);
  return key;
}

/**
 * Why a prompt of this kind cannot go to this model, or null when it can: zero-shot and URIAL send raw text
 * (the completions endpoint), chat sends messages (the chat endpoint). Sending URIAL text as a chat message
 * would silently change the method, so a mismatch is refused.
 */
export function endpointMismatch(config: RemoteModelConfig, promptKind: 'completion' | 'chat'): string | null {
  const needed: RemoteEndpoint = promptKind === 'completion' ? 'completions' : 'chat';
  if (needed === config.endpoint) return null;
  return promptKind === 'completion'
    ? `"${config.model}" is registered for the chat endpoint, but zero-shot/URIAL send raw text to /v1/completions. Use the chat method, or add the model with --endpoint completions (a base model).`
    : `"${config.model}" is registered for the completions endpoint (a base model), but the chat method sends messages to /v1/chat/completions. Use zero-shot/URIAL, or add the model with --endpoint chat.`;
}

/** The /models entry for a model; Ollama lists "name:latest" for a model requested as "name". */
export function findServedModel(listed: ServerModel[], model: string): ServerModel | null {
  return listed.find((m) => m.id === model) ?? listed.find((m) => m.id === `${model}:latest`) ?? null;
}

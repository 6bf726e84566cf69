import { OpenAiBackend } from './OpenAiBackend';
import { OpenAiClient, type OpenAiClientOptions } from './OpenAiClient';
import type { RemoteModelConfig } from './remoteModel';

export { OpenAiBackend } from './OpenAiBackend';
export { OpenAiClient, RESPONSE_FORMATS } from './OpenAiClient';
export type { ChatMessage, CompletionReply, OpenAiClientOptions, ResponseFormatLevel, ServerModel, StreamChunk, Usage } from './OpenAiClient';
export { OpenAiError } from './OpenAiError';
export { normalizeBaseUrl } from './baseUrl';
export * from './remoteModel';

/**
 * A generation backend for a remote model, after a connection test. The key is handed in by the caller
 * (`apiKeyFrom` for an environment variable; the desktop app's keychain for judges).
 */
export function connectRemoteModel(
  config: RemoteModelConfig,
  options: Omit<OpenAiClientOptions, 'baseUrl'> = {},
  signal?: AbortSignal,
): Promise<OpenAiBackend> {
  const client = new OpenAiClient({ ...options, baseUrl: config.baseUrl });
  return OpenAiBackend.connect({ client, model: config.model, endpoint: config.endpoint }, signal);
}

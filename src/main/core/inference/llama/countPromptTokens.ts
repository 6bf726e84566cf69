import { getLlamaRuntime } from './getLlamaRuntime';

/**
 * Prompt lengths in tokens with the model's own tokenizer, counted as LlamaBackend feeds them: the shared
 * prefix on its own (with BOS when the model adds one), each item's rest appended with `trimLeadingSpace`.
 * Loads the vocabulary only (no weights), so it is cheap even for a large model.
 */
export async function countPromptTokens(modelPath: string, prefix: string, rests: readonly string[]): Promise<number[]> {
  const llama = await getLlamaRuntime('cpu');
  const model = await llama.loadModel({ modelPath, vocabOnly: true });
  try {
    const bos = model.tokens.bos != null && model.tokens.shouldPrependBosToken ? 1 : 0;
    const prefixTokens = prefix === '' ? 0 : model.tokenize(prefix, false).length;
    return rests.map(
      (rest) => bos + prefixTokens + (rest === '' ? 0 : model.tokenize(rest, false, prefix.length > 0 ? 'trimLeadingSpace' : undefined).length),
    );
  } finally {
    await model.dispose();
  }
}

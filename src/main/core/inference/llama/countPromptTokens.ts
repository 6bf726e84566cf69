import { getLlamaRuntime } from './getLlamaRuntime';

/** Counts already made, per model file and text: the composer plans again on every change of a big batch. */
const counted = new Map<string, number>();
const MAX_COUNTED = 200_000;

/**
 * Prompt lengths in tokens with the model's own tokenizer, counted as LlamaBackend feeds them: the shared
 * prefix on its own (with BOS when the model adds one), each item's rest appended with `trimLeadingSpace`.
 * Loads the vocabulary only (no weights), and only for texts not counted before.
 */
export async function countPromptTokens(modelPath: string, prefix: string, rests: readonly string[]): Promise<number[]> {
  const keyOf = (part: 'prefix' | 'rest', text: string) => `${modelPath}\0${part}${part === 'rest' && prefix !== '' ? '+' : ''}\0${text}`;
  const prefixKey = keyOf('prefix', prefix);
  const missing = rests.filter((rest) => !counted.has(keyOf('rest', rest)));
  if (!counted.has(prefixKey) || missing.length > 0) {
    const llama = await getLlamaRuntime('cpu');
    const model = await llama.loadModel({ modelPath, vocabOnly: true });
    try {
      if (counted.size > MAX_COUNTED) counted.clear();
      const bos = model.tokens.bos != null && model.tokens.shouldPrependBosToken ? 1 : 0;
      counted.set(prefixKey, bos + (prefix === '' ? 0 : model.tokenize(prefix, false).length));
      for (const rest of missing) {
        counted.set(keyOf('rest', rest), rest === '' ? 0 : model.tokenize(rest, false, prefix !== '' ? 'trimLeadingSpace' : undefined).length);
      }
    } finally {
      await model.dispose();
    }
  }
  const prefixTokens = counted.get(prefixKey)!;
  return rests.map((rest) => prefixTokens + counted.get(keyOf('rest', rest))!);
}

import { createHash } from 'node:crypto';

export const sha256Hex = (text: string | Buffer): string => createHash('sha256').update(text).digest('hex');

/**
 * The key that matches an annotation to its generation across stores: a hash of what the annotator judged (the
 * item, its language, the instruction and the raw output), so it survives other row ids and changes the moment
 * the output is re-generated. Identical content under two runs has one key: a label is about the text.
 */
export function contentKey(g: { itemId: string; lang: string; instruction: string; outputRaw: string }): string {
  return sha256Hex(JSON.stringify([g.itemId, g.lang, g.instruction, g.outputRaw]));
}

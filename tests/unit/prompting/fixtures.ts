import { fileURLToPath } from 'node:url';
import type { Item } from '../../../src/shared/domain';

/** Official URIAL files: read from ../shared, never copied into the repo (Apache-2.0). */
export const OFFICIAL_DIR = fileURLToPath(new URL('../../../../shared/data/urial_prompts/', import.meta.url));
export const RESOURCES_DIR = fileURLToPath(new URL('../../../resources/', import.meta.url));

export function item(instruction: string, id = '0'): Item {
  return { id, instruction, metadata: {} };
}

/** Independent of the parser: counts the headings with a plain line regex. */
export function countHeadings(text: string, heading: string): number {
  return text.split('\n').filter((line) => line.trimEnd() === heading).length;
}

import { basename } from 'node:path';
import type { Item } from '../../../shared/domain';
import type { GenerationsFileContent } from './readGenerationsFile';

/**
 * `generations import --dataset`: the dataset items the file's outputs answer, joined by id, in the file's order,
 * so category, task types and difficulty come from the dataset (the outputs file rarely has them). All-or-nothing:
 * an id the dataset does not have, or an instruction that differs from the dataset's (the output answers another
 * question, e.g. the English item imported into the French dataset), is refused, naming the item.
 * Leading and trailing whitespace is not a difference (files written by scripts often strip or add it).
 */
export function joinOutputsToDataset(file: string, content: GenerationsFileContent, dataset: { name: string; items: readonly Item[] }): Item[] {
  const byId = new Map(dataset.items.map((i) => [i.id, i]));
  const where = basename(file);
  return content.items.map((fromFile) => {
    const item = byId.get(fromFile.id);
    if (!item) throw new Error(`${where}: item "${fromFile.id}" is not in dataset "${dataset.name}". Pick the dataset these outputs were generated from, or import without --dataset.`);
    if (item.instruction.trim() !== fromFile.instruction.trim())
      throw new Error(`${where}: item "${fromFile.id}": the instruction differs from dataset "${dataset.name}"'s. The output answers another instruction: pick the dataset it was generated from, or import without --dataset.`);
    return item;
  });
}

import type { GenerationDetail, GenerationFilter } from '../../../shared/generations';
import { contentKey } from '../../core/annotationPackages/contentKey';
import type { GenerationQueryRepo } from '../../store/GenerationQueryRepo';

const PAGE = 1000;

/** Every generation the reader's filter matches, in full. */
export function selectGenerations(reader: GenerationQueryRepo, filter: GenerationFilter): GenerationDetail[] {
  const out: GenerationDetail[] = [];
  for (let offset = 0; ; offset += PAGE) {
    const { rows, total } = reader.query(filter, offset, PAGE);
    for (const r of rows) out.push(reader.get(r.id)!);
    if (offset + PAGE >= total) return out;
  }
}

/** Content key → the runs' generations that have that content now (a re-generated output has a new key). */
export function generationsByKey(reader: GenerationQueryRepo, runIds: readonly number[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  if (runIds.length === 0) return out;
  for (const g of selectGenerations(reader, { runIds: [...runIds] })) {
    const key = contentKey(g);
    out.set(key, [...(out.get(key) ?? []), g.id]);
  }
  return out;
}

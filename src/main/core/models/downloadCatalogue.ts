import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { CatalogueModel } from '../../../shared/models';

const entry = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9.-]*$/, 'lowercase letters, digits, dots and dashes'),
    name: z.string().min(1),
    family: z.string().min(1),
    role: z.enum(['base', 'sft', 'dpo']),
    uri: z.string().regex(/^(hf:[^/\s]+\/[^/\s]+\/\S+\.gguf|https:\/\/\S+\.gguf)$/, 'hf:<user>/<repo>/<file.gguf> or an https URL of a .gguf'),
    parameters: z.number().int().positive().max(2_000_000_000, 'the catalogue lists small (<2B) models'),
    approxSizeBytes: z.number().int().positive(),
    quantization: z.string().min(1),
    licence: z.string().min(1),
    languages: z.array(z.string().regex(/^[a-z]{2,3}$/)).min(1),
    homepage: z.url(),
    notes: z.string(),
  })
  .strict();

const catalogueFile = z.object({ $comment: z.array(z.string()).optional(), version: z.literal(1), models: z.array(entry) }).strict();

/** Where the catalogue lives inside the app's resources folder. */
export const CATALOGUE_FILE = join('catalogue', 'models.json');

/**
 * The recommended-model catalogue shipped in resources/ (data, editable without touching code). Validated on
 * read so that a bad edit names the entry and field instead of breaking the download panel later.
 */
export function readModelCatalogue(resourcesDir: string): CatalogueModel[] {
  const file = join(resourcesDir, CATALOGUE_FILE);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot be read as JSON (${err instanceof Error ? err.message : String(err)}).`);
  }
  const parsed = catalogueFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}. Fix the entry in the catalogue file.`);
  }
  const ids = new Set<string>();
  for (const m of parsed.data.models) {
    if (ids.has(m.id)) throw new Error(`${file}: the id "${m.id}" is used twice.`);
    ids.add(m.id);
  }
  return parsed.data.models;
}

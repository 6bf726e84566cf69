import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JUST_EVAL_TEMPLATE_FILES } from '../../core/judge/justEval/justEvalTemplates';
import { referenceRoots, type ReferenceLocations } from '../../core/reference';

/** Where the templates sit inside a reference-files folder (the layout of ../shared/data). */
const TEMPLATES_SUBDIR = join('just_eval', 'judge_templates');

/**
 * The folder holding both official Just-Eval judge templates: the first reference root (setting →
 * ALIGN_REFERENCE_DIR → `<data folder>/reference` → the checkout's ../shared/data) that has both files, so the
 * multi and safety templates always come from the same copy. Throws, naming every folder tried and how to set
 * one, when none has them.
 */
export function justEvalTemplatesDir(locations: ReferenceLocations & { fallback?: string }): string {
  const roots = [...referenceRoots(locations), ...(locations.fallback ? [locations.fallback] : [])];
  const files = Object.values(JUST_EVAL_TEMPLATE_FILES).map((f) => f.file);
  const tried = roots.map((root) => join(root, TEMPLATES_SUBDIR));
  const found = tried.find((dir) => files.every((file) => existsSync(join(dir, file))));
  if (found) return found;
  throw new Error(
    `The original Just-Eval judge reads just-eval's official templates (${files.join(', ')}), and they are not in ${tried.join(' nor in ')}. ` +
      `Fetch the official files, or set ALIGN_REFERENCE_DIR to a folder holding ${TEMPLATES_SUBDIR}/ (the layout of the reference data folder).`,
  );
}

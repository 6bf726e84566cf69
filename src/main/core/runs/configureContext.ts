import type { Backend } from '../inference/Backend';
import type { PromptSpec } from '../prompting';

/** Room for the few tokens a backend adds around a prompt (BOS, template end) beyond its own count. */
const MARGIN_TOKENS = 8;

/**
 * Creates the generation context and returns its size per sequence.
 *
 * A fixed size is used as asked. "auto" sizes the context for the longest prompt plus the output budget, so
 * no item is ever cut by a context shift. One over-long item (a 1 MB instruction) must not fail the whole
 * run, though: when that size does not fit in memory, the largest size that does is searched among the
 * sizes the items need (memory grows with the size, so a binary search), and the items that need more then
 * fail one by one in `Backend.generate`, with their reason stored. Only when even the smallest item's
 * context does not fit is the run refused, with that error.
 */
export async function configureContext(
  backend: Backend,
  requested: number | 'auto',
  prompts: PromptSpec[],
  maxTokens: number,
  parallel: number,
): Promise<number> {
  if (requested !== 'auto') {
    await backend.configure({ contextSize: requested, parallel });
    return requested;
  }
  const sizes = [...new Set(prompts.map((p) => backend.countPromptTokens(p) + maxTokens + MARGIN_TOKENS))].sort((a, b) => a - b);
  const fits = async (contextSize: number): Promise<unknown> =>
    backend.configure({ contextSize, parallel }).then(
      () => null,
      (err: unknown) => err,
    );
  const largest = sizes.at(-1) as number;
  if ((await fits(largest)) === null) return largest;
  const smallestError = await fits(sizes[0] as number);
  if (smallestError !== null) throw smallestError;
  // Invariant: sizes[lo] fits, sizes[hi] does not.
  let lo = 0;
  let hi = sizes.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((await fits(sizes[mid] as number)) === null) lo = mid;
    else hi = mid;
  }
  const chosen = sizes[lo] as number;
  // The last attempt may have been a failed larger size: leave the backend configured at the chosen one.
  await backend.configure({ contextSize: chosen, parallel });
  return chosen;
}

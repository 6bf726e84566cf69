import type { Item } from '../../../shared/domain';

/** A generation as the to_eval export needs it. */
export interface OutputForJustEval {
  itemId: string;
  output: string;
  generator: string | null;
  /** Fields an imported outputs file had beyond id, instruction, output and generator, verbatim and in order. */
  extra: Record<string, unknown>;
}

/** One record of just-eval's `to_eval.json` (the input of its evaluate.py `--model_output_file`). */
export type JustEvalOutput = { id: number | string; instruction: string; output: string; generator: string } & Record<string, unknown>;

/**
 * `generations export --format just-eval`: the outputs in the shape just-eval's scorer reads (id, instruction,
 * output, generator, then dataset, source_id and datasplit as the leaderboard's to_eval.json files have them), so
 * the original scorer can run on our outputs. An imported file's own extra fields come back verbatim (a to_eval
 * file round-trips byte for byte); our own runs take dataset and source_id from the item, datasplit "just_eval".
 * Decimal integer ids are numbers, as just-eval's. `generator` names the run's model when a row has none.
 */
export function toJustEvalOutputs(outputs: readonly OutputForJustEval[], items: readonly Item[], generator: string): JustEvalOutput[] {
  const byId = new Map(items.map((i) => [i.id, i]));
  return outputs.map((o) => {
    const item = byId.get(o.itemId);
    if (!item) throw new Error(`Generation of item "${o.itemId}" has no item in its run's dataset.`);
    const base = { id: /^(0|[1-9][0-9]*)$/.test(o.itemId) ? Number(o.itemId) : o.itemId, instruction: item.instruction, output: o.output, generator: o.generator ?? generator };
    if (Object.keys(o.extra).length > 0) return { ...base, ...o.extra };
    return { ...base, ...(item.dataset !== undefined ? { dataset: item.dataset } : {}), ...(item.sourceId !== undefined ? { source_id: item.sourceId } : {}), datasplit: 'just_eval' };
  });
}

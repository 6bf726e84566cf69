import { bootstrapMeanCI, type BootstrapOptions, type MeanCI } from './bootstrapMeanCI';

/**
 * Mean difference of paired observations (a[i] − b[i], same item on both sides) with a paired percentile-bootstrap
 * CI: the pairs are resampled together, which is resampling their differences, so this is `bootstrapMeanCI` on
 * the differences (same seed, resamples and quantile rule). Null for no pairs; RangeError on unequal lengths.
 */
export function pairedBootstrapMeanDiff(a: readonly number[], b: readonly number[], options?: BootstrapOptions): MeanCI | null {
  if (a.length !== b.length) throw new RangeError(`paired samples must have the same length, got ${a.length} and ${b.length}`);
  return bootstrapMeanCI(
    a.map((x, i) => x - b[i]!),
    options,
  );
}

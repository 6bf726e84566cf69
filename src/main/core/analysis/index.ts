export { mulberry32 } from '../../../shared/random';
export { cohensKappa } from './cohensKappa';
export { cohensKappaCategorical } from './cohensKappaCategorical';
export { fleissKappa } from './fleissKappa';
export { fleissKappaCategorical } from './fleissKappaCategorical';
export { precisionRecallF1, type PrecisionRecallF1 } from './precisionRecallF1';
export {
  bootstrapMeanCI,
  bootstrapMeanCIOfLevels,
  MULTINOMIAL_FROM,
  bootstrapSettings,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_RESAMPLES,
  MIN_RESAMPLES,
  type BootstrapOptions,
  type MeanCI,
} from './bootstrapMeanCI';
export { wilsonInterval } from './wilson';
export { lcbSummary, type LcbSummary } from './lcbSummary';
export { lcbFromSignals, runRates, type RunRateInput } from './runRates';
export {
  ANY_CRITICAL_ERROR,
  criticalErrorRates,
  type CriticalErrorRate,
  type CriticalErrorRatesOptions,
  type CriticalErrorRow,
} from './criticalErrorRates';
export { detectorAgreement, isDecided, type AgreementRow, type LabelAgreement } from './detectorAgreement';
export { normalCdf, twoSidedNormalP } from './normalCdf';
export { wilcoxonSignedRank, WILCOXON_EXACT_MAX_N, type WilcoxonResult } from './wilcoxon';
export { holmAdjust } from './holm';
export { pairedBootstrapMeanDiff } from './pairedBootstrap';
export { aspectCells, groupKey, type ResultsGroup, type ScoreLevelRow } from './aspectAggregates';
export { dpoPairs, DISQUALIFYING_LABELS, REJECT_LABELS, type DpoCandidate, type DpoPair, type DpoSide } from './dpoPairs';
export { fnv1a } from './fnv1a';

export { mulberry32 } from '../../../shared/random';
export { cohensKappa } from './cohensKappa';
export { cohensKappaCategorical } from './cohensKappaCategorical';
export { fleissKappa } from './fleissKappa';
export { fleissKappaCategorical } from './fleissKappaCategorical';
export { precisionRecallF1, type PrecisionRecallF1 } from './precisionRecallF1';
export {
  bootstrapMeanCI,
  bootstrapSettings,
  DEFAULT_BOOTSTRAP_SEED,
  DEFAULT_RESAMPLES,
  MIN_RESAMPLES,
  type BootstrapOptions,
  type MeanCI,
} from './bootstrapMeanCI';
export {
  criticalErrorRates,
  type CriticalErrorRate,
  type CriticalErrorRatesOptions,
  type CriticalErrorRow,
} from './criticalErrorRates';
export { detectorAgreement, type AgreementRow, type LabelAgreement } from './detectorAgreement';

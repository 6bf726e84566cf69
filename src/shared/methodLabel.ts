import type { Lang, MethodName } from './domain';

const METHOD_LABELS: Record<MethodName, string> = {
  'zero-shot': 'zero-shot',
  'urial-zero': 'URIAL zero-shot',
  urial: 'URIAL',
  chat: 'chat',
  custom: 'custom',
};

/**
 * How a run's method is named everywhere (plan, queue, reader, Results, exports, LaTeX). A URIAL run whose
 * prompt is in another language than its items says so: "URIAL (en prompt)" on a French dataset, never plain
 * "URIAL", so an English-prompt arm can't pass for the French one.
 */
export function methodLabel(method: MethodName, promptLang?: Lang | null, datasetLang?: Lang | null): string {
  const label = METHOD_LABELS[method];
  if (method === 'urial' && promptLang && datasetLang && promptLang !== datasetLang) return `${label} (${promptLang} prompt)`;
  return label;
}

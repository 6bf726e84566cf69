import type { Lang, MethodName } from './domain';

/**
 * How a run's method is named everywhere (plan, queue, reader, Results, exports, LaTeX): its name, except a URIAL
 * run whose prompt is in another language than its items, which says so: "URIAL (en prompt)" on a French dataset,
 * never plain "urial", so an English-prompt arm can't pass for the French one. The same rule in SQL:
 * store/methodLabelSql.ts.
 */
export function methodLabel(method: MethodName, promptLang?: Lang | null, datasetLang?: Lang | null): string {
  if (method === 'urial' && promptLang && datasetLang && promptLang !== datasetLang) return `URIAL (${promptLang} prompt)`;
  return method;
}

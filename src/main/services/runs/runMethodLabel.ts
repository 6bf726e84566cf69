import { METHODS, type Lang, type MethodName, type RunConfig } from '../../../shared/domain';
import { methodLabel } from '../../../shared/methodLabel';

/**
 * A stored run's method as shown everywhere (methodLabel): "URIAL (en prompt)" for an English prompt on French
 * items. Runs of imported outputs carry a method name of their own, shown as it is.
 */
export function runMethodLabel(run: { method: Record<string, string>; config: RunConfig | null }, datasetLang: Lang): string {
  const method = run.method.method ?? 'unknown';
  return (METHODS as readonly string[]).includes(method) ? methodLabel(method as MethodName, run.config?.method.promptLang, datasetLang) : method;
}

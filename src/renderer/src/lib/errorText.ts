/**
 * The text to show for a failed call. API errors carry a message (naming the thing and what to do) and,
 * for invalid requests, per-field issues; both are shown verbatim, never swallowed.
 */
export function errorText(err: unknown): string {
  if (err instanceof Error) {
    const issues = (err as { issues?: unknown }).issues;
    if (Array.isArray(issues) && issues.length > 0 && !issues.every((i) => err.message.includes(String(i?.message ?? '')))) {
      const lines = issues.map((i: { path?: string; message?: string }) => `${i.path || '(request)'}: ${i.message ?? ''}`);
      return `${err.message}\n${lines.join('\n')}`;
    }
    return err.message || err.name;
  }
  if (typeof err === 'string') return err;
  try {
    return JSON.stringify(err);
  } catch {
    return String(err);
  }
}

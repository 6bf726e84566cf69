import { errorText } from './errorText';

/**
 * Runs a user action of a view's state: the previous error is cleared first, and a failure becomes the state's
 * `error` (its success `message`, now stale, is hidden).
 */
export async function reportFailure(state: { error: string | null; message: string | null }, action: () => Promise<void>): Promise<void> {
  try {
    state.error = null;
    await action();
  } catch (err) {
    state.message = null;
    state.error = errorText(err);
  }
}

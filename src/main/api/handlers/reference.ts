import type { HandlerContext, HandlersFor } from './types';

/** The official reference files: their state and the verified fetch. */
export function referenceHandlers({ services }: HandlerContext): HandlersFor<'reference'> {
  return {
    'reference.status': ({ verify }) => services.reference.status(verify ?? true),
    'reference.fetch': () => services.reference.fetch(),
  };
}

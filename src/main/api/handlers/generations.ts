import { NotFoundError } from '../../services/errors';
import type { HandlerContext, HandlersFor } from './types';

/** Generations: import, export, the reader, detection. */
export function generationsHandlers(ctx: HandlerContext): HandlersFor<'detection' | 'generations'> {
  const { generations, detection } = ctx.services;
  const { runInfo } = ctx.wire;
  const { services } = ctx;
  return {
    'generations.import': async ({ path, lang, name, dataset }) => {
      const run = await generations.import(path, { lang, name, dataset });
      ctx.changed(run.id);
      return runInfo(run);
    },
    'generations.export': ({ runId, format }) => ({ text: generations.export(runId, format) }),
    'generations.query': ({ filter, offset, limit }) => services.store.reader.query(filter, offset, limit),
    'generations.get': ({ id }) => {
      const g = services.store.reader.get(id);
      if (!g) throw new NotFoundError(`No generation with id ${id}.`);
      return g;
    },
    'generations.sideBySide': ({ id, runIds }) => services.store.reader.sideBySide(id, runIds),
    'detection.run': async ({ runId, all }) => ({ ...(await detection.detectRun(runId, { all })), byLabel: detection.findingsByLabel(runId) }),
  };
}

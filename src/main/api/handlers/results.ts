import type { HandlerContext, HandlersFor } from './types';

/** Results: aspects, critical errors, comparisons, tables, DPO pairs. */
export function resultsHandlers(ctx: HandlerContext): HandlersFor<'results'> {
  const { results } = ctx.services;
  return {
    'results.aspects': ({ filter, groupBy }) => results.aspects(filter, groupBy),
    'results.criticalErrors': ({ filter, source }) => results.criticalErrors(filter, source),
    'results.rates': ({ runIds, source }) => results.rates(runIds, source),
    'results.compare': (req) => results.compare(req),
    'results.table': (req) => results.table(req),
    'results.dpoPairs': ({ filter }) => results.dpoPairs(filter),
  };
}

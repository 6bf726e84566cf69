import { mappingOf, type HandlerContext, type HandlersFor } from './types';

/** Datasets. */
export function datasetsHandlers(ctx: HandlerContext): HandlersFor<'datasets'> {
  const { datasets } = ctx.services;
  const { datasetInfo } = ctx.wire;
  const { services } = ctx;
  return {
    'datasets.list': () => datasets.list().map(datasetInfo),
    'datasets.preview': ({ path, idField, instructionField, delimiter }) => datasets.preview(path, { mapping: mappingOf(idField, instructionField), delimiter }),
    'datasets.import': async ({ path, lang, name, idField, instructionField, delimiter, parallelWith }) =>
      datasetInfo(await datasets.import(path, { lang, name, mapping: mappingOf(idField, instructionField), delimiter, parallelWith })),
    'datasets.download': async ({ uri, lang, name, idField, instructionField, delimiter, parallelWith }) =>
      datasetInfo(await services.datasetDownloads.download(uri, { lang, name, mapping: mappingOf(idField, instructionField), delimiter, parallelWith })),
    'datasets.cancelDownload': ({ uri }) => ({ cancelled: services.datasetDownloads.cancel(uri) }),
    'datasets.link': ({ datasetIds }) => datasets.link(datasetIds).map(datasetInfo),
    'datasets.readIdList': ({ source }) => ({ ids: datasets.idList(source) }),
    'datasets.ensureSamples': async () => (await services.firstRun.ensureSampleDatasets()).map(datasetInfo),
  };
}

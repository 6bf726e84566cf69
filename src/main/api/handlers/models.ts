import { usableDownloadFolder } from '../../services/app/appSettings';
import { fitModel } from '../../services/models/modelFit';
import type { HandlerContext, HandlersFor } from './types';

/** The model library, families, hardware, the catalogue and downloads. */
export function modelsHandlers(ctx: HandlerContext): HandlersFor<'catalogue' | 'downloads' | 'families' | 'hardware' | 'models'> {
  const { library, downloads } = ctx.services;
  const { services } = ctx;
  return {
    'models.list': () => library.list(),
    'models.add': async ({ path, wait }) => {
      const { model, sha256 } = await library.add(path);
      if (wait) await sha256;
      return library.entry(model.id);
    },
    'models.resolve': async ({ ref }) => library.entry((await library.resolve(ref)).id),
    'models.addRemote': async (request) => library.entry((await library.addRemote(request)).id),
    'models.scan': async ({ folder, wait }) => {
      const scanned = await library.scan(folder);
      if (!wait) return scanned;
      // Hashes of new files run in the background: a script waits for them so the store is complete when it ends.
      await Promise.all(scanned.added.map((m) => library.sha256Of(m)));
      return { ...scanned, added: scanned.added.map((m) => library.entry(m.id)) };
    },
    'models.remove': ({ modelId }) => (library.remove(modelId), { removed: modelId }),
    'models.locate': ({ modelId, path }) => library.locate(modelId, path),
    'models.setFamily': ({ modelId, familyId, role }) => library.setFamily(modelId, familyId, role),
    'models.fit': async ({ modelId, ...req }) => fitModel(await library.resolve(String(modelId)), req),
    'models.state': () => services.pool.state,
    'families.list': () => library.families(),
    'families.create': ({ name }) => library.createFamily(name),
    'families.remove': ({ familyId }) => (library.removeFamily(familyId), { removed: familyId }),
    'hardware.info': () => services.hardware(),
    'catalogue.list': () => services.catalogue(),
    'downloads.list': () => downloads.list(),
    'downloads.start': ({ uri, catalogueId, dir }) => downloads.start(uri, catalogueId, dir === undefined ? undefined : usableDownloadFolder(dir)),
    'downloads.pause': ({ downloadId }) => downloads.pause(downloadId),
    'downloads.resume': ({ downloadId }) => downloads.resume(downloadId),
    'downloads.cancel': ({ downloadId }) => downloads.cancel(downloadId),
  };
}

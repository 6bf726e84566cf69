import { METHODS } from '../../../shared/domain';
import { APP_VERSION } from '../../services/app/appVersion';
import type { HandlerContext, HandlersFor } from './types';

/** The app itself: info, file dialog, first run, settings. */
export function appHandlers(ctx: HandlerContext): HandlersFor<'app' | 'settings'> {
  const { firstRunInfo } = ctx.wire;
  const { services, options } = ctx;
  return {
    'app.info': () => ({
      version: APP_VERSION,
      dataDir: services.options.dataDir,
      transport: options.transport,
      methods: [...METHODS],
      urialPromptLangs: services.urialPromptLangs(),
      canPickFiles: options.pickFile !== undefined,
    }),
    'app.pickFile': async ({ kind }) => {
      if (!options.pickFile) throw new Error('Choosing a file needs the desktop app. In browser mode, type the path of the file on the machine that runs the workbench.');
      return { path: await options.pickFile(kind) };
    },
    'app.firstRun': async () => firstRunInfo(await services.firstRun.state()),
    'app.dismissWelcome': () => firstRunInfo(services.firstRun.dismissWelcome()),
    'settings.get': () => services.settings.read(),
    'settings.set': (patch) => services.settings.write(patch),
  };
}

import pkg from '../../../../package.json' with { type: 'json' };

/** Stored with every run, so each output can be traced to the app build that made it. */
export const APP_VERSION: string = pkg.version;

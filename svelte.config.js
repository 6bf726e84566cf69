import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

// Loaded by the Svelte Vite plugin (electron.vite.config.ts passes `configFile`) and by svelte-check.
export default {
  preprocess: vitePreprocess(),
};

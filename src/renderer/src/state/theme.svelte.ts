import { MediaQuery } from 'svelte/reactivity';

export const THEME_PREFERENCES = ['system', 'light', 'dark'] as const;
export type ThemePreference = (typeof THEME_PREFERENCES)[number];

const STORAGE_KEY = 'align-workbench.theme';

/**
 * Light or dark: follows the system (`prefers-color-scheme`) until the user picks one; the pick is kept in
 * localStorage. The resolved theme is written to `<html data-theme>`, where the CSS variables switch.
 */
export class Theme {
  #preference = $state<ThemePreference>(readPreference());
  #systemDark = new MediaQuery('(prefers-color-scheme: dark)');

  get preference(): ThemePreference {
    return this.#preference;
  }

  set preference(value: ThemePreference) {
    this.#preference = value;
    try {
      if (value === 'system') localStorage.removeItem(STORAGE_KEY);
      else localStorage.setItem(STORAGE_KEY, value);
    } catch {
      // Storage can be unavailable (private mode, quota); the choice then lasts for this session.
    }
  }

  get current(): 'light' | 'dark' {
    return this.#preference === 'system' ? (this.#systemDark.current ? 'dark' : 'light') : this.#preference;
  }

  /** system → light → dark → system */
  cycle(): void {
    const i = THEME_PREFERENCES.indexOf(this.#preference);
    this.preference = THEME_PREFERENCES[(i + 1) % THEME_PREFERENCES.length]!;
  }
}

function readPreference(): ThemePreference {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return stored === 'light' || stored === 'dark' ? stored : 'system';
  } catch {
    return 'system';
  }
}

export const theme = new Theme();

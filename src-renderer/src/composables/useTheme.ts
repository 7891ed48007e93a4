/**
 * Light and dark themes: follows the system (prefers-color-scheme) until the person picks one
 * with the toggle; the choice is remembered. Sets data-theme on <html> for the CSS, and gives the
 * charts their colours.
 */
import { computed, ref } from 'vue';
import { CHART_THEMES, type ThemeName } from '../lib/colors';

export type ThemeMode = 'auto' | ThemeName;
const KEY = 'nnlab.theme';

export const themeMode = ref<ThemeMode>('auto');
const systemDark = ref(false);

export const effectiveTheme = computed<ThemeName>(() => (themeMode.value === 'auto' ? (systemDark.value ? 'dark' : 'light') : themeMode.value));
export const chartTheme = computed(() => CHART_THEMES[effectiveTheme.value]);

/** auto → light → dark → auto. */
export function nextMode(m: ThemeMode): ThemeMode {
  return m === 'auto' ? 'light' : m === 'light' ? 'dark' : 'auto';
}

function apply(): void {
  document.documentElement.dataset.theme = effectiveTheme.value;
}

export function initTheme(): void {
  const saved = localStorage.getItem(KEY);
  if (saved === 'light' || saved === 'dark' || saved === 'auto') themeMode.value = saved;
  const mq = window.matchMedia?.('(prefers-color-scheme: dark)');
  systemDark.value = !!mq?.matches;
  mq?.addEventListener?.('change', (e) => {
    systemDark.value = e.matches;
    apply();
  });
  apply();
}

export function cycleTheme(): void {
  themeMode.value = nextMode(themeMode.value);
  localStorage.setItem(KEY, themeMode.value);
  apply();
}

/** Binary units, as file managers show them: 668_788_096 → "638 MiB". Shared by the UI and the backend's messages. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes == null || !Number.isFinite(bytes)) return '?';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  // One decimal below 10, none above.
  const shown = value < 10 ? String(Math.round(value * 10) / 10) : String(Math.round(value));
  return `${unit === 0 ? value : shown} ${units[unit]}`;
}

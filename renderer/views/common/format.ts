/** ISO-8601 UTC as `2024-03-01 12:00:05Z`, fractions of a second dropped. */
export function formatTime(iso: string): string {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

const counter = new Intl.NumberFormat('en-US');

/** `1,234 alerts`, `1 alert`. */
export function countOf(n: number, singular: string, plural = `${singular}s`): string {
  return `${counter.format(n)} ${n === 1 ? singular : plural}`;
}

export const formatNumber = (n: number): string => counter.format(n);

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

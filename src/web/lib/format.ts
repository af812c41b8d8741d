/** Number formatting shared by the views: percentages, byte rates, prices, clock times. */

const BYTE_UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  let value = Math.abs(bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const sign = bytes < 0 ? '-' : '';
  return `${sign}${value.toFixed(value >= 100 || unit === 0 ? 0 : 1)} ${BYTE_UNITS[unit]}`;
}

export function formatRate(bytesPerSecond: number): string {
  return `${formatBytes(bytesPerSecond)}/s`;
}

export function formatPercent(value: number): string {
  return Number.isFinite(value) ? `${value.toFixed(1)}%` : '–';
}

const integerFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const priceFormat = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

export function formatInteger(value: number): string {
  return Number.isFinite(value) ? integerFormat.format(value) : '–';
}

export function formatPrice(value: number): string {
  return Number.isFinite(value) ? priceFormat.format(value) : '–';
}

export function formatSigned(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '–';
  return `${value > 0 ? '+' : ''}${value.toFixed(digits)}`;
}

/** `HH:MM:SS` in local time for an ISO timestamp (or epoch ms). */
export function formatClock(time: string | number): string {
  const date = new Date(time);
  if (Number.isNaN(date.getTime())) return '--:--:--';
  return date.toLocaleTimeString('en-GB', { hour12: false });
}

export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  if (hours > 0) return `${hours}h ${minutes}m`;
  return `${minutes}m ${s % 60}s`;
}

/** Counts and small rates: `3`, `0.5`, `1,204` (no repeated `1, 1` ticks on a small axis). */
export function formatCount(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value) || Math.abs(value) >= 100) return integerFormat.format(value);
  return value.toFixed(Math.abs(value) >= 10 ? 1 : 2).replace(/\.?0+$/, '');
}

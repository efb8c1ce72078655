/** Median of a non-empty list. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** min–max around the median, as a share of it: how much the rounds disagree. */
export function spread(values: readonly number[]): number {
  const m = median(values);
  return m === 0 ? 0 : (Math.max(...values) - Math.min(...values)) / m;
}

/** A figure with its spread: `1,234 ±5%`. */
export function withSpread(values: readonly number[], digits = 0): string {
  const m = median(values);
  const s = values.length > 1 ? ` ±${((spread(values) * 100) / 2).toFixed(0)}%` : '';
  return `${m.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${s}`;
}

/** A number as the tables print it: grouped thousands, fixed decimals. */
export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

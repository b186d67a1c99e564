/** Percentiles of a list of samples (nearest-rank). */
export function percentiles(samples: readonly number[], points: readonly number[] = [50, 95, 99]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const result: Record<string, number> = {};
  for (const point of points) {
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((point / 100) * sorted.length) - 1));
    result[`p${String(point)}`] = round(sorted[index] ?? Number.NaN);
  }
  return result;
}

export function round(value: number, digits = 2): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function mean(samples: readonly number[]): number {
  return samples.length === 0 ? Number.NaN : samples.reduce((sum, value) => sum + value, 0) / samples.length;
}

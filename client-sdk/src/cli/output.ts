/** What a command prints: JSON with `--json`, else a short human form. */
export function render(value: unknown, json: boolean): string {
  if (json) return JSON.stringify(value, null, 2);
  return human(value);
}

function label(item: Record<string, unknown>): string {
  const parts = [item.id ?? item.teamId, item.title ?? item.name ?? item.url];
  return parts.filter((part): part is string => typeof part === 'string' && part.length > 0).join('  ');
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return '-';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function human(value: unknown): string {
  if (typeof value !== 'object' || value === null) return scalar(value);
  const record = value as Record<string, unknown>;
  if (Array.isArray(record.items)) {
    const lines = (record.items as Record<string, unknown>[]).map(label);
    if (typeof record.nextCursor === 'string') lines.push(`(more: --cursor ${record.nextCursor})`);
    return lines.length > 0 ? lines.join('\n') : '(none)';
  }
  return Object.entries(record)
    .map(([key, field]) => `${key}: ${scalar(field)}`)
    .join('\n');
}

/** A progress line on stderr, so stdout stays the answer. */
export function progress(message: string): void {
  process.stderr.write(`${message}\n`);
}

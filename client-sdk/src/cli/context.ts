import type { PressboxClient } from '../index.ts';

/** A command-line mistake: printed with the command's usage on stderr, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Exit code of a command that ran but did not fully succeed (rows rejected by an import). */
export const PARTIAL_FAILURE = 3;

export interface CommandContext {
  client: PressboxClient;
  args: string[];
  flags: Record<string, string | boolean | undefined>;
  baseUrl: string;
  token: string | undefined;
  json: boolean;
  /** Sets the exit code without throwing (the answer is still printed). */
  fail(code: number): void;
}

export interface Command {
  usage: string;
  summary: string;
  /** Flags this command takes (besides --json and --help); any other is refused. */
  flags?: Record<string, { type: 'string' | 'boolean'; description: string }>;
  run(context: CommandContext): Promise<unknown>;
}

export function arg(context: CommandContext, index: number, name: string): string {
  const value = context.args[index];
  if (!value) throw new UsageError(`missing <${name}>`);
  return value;
}

export function flag(context: CommandContext, name: string): string | undefined {
  const value = context.flags[name];
  return typeof value === 'string' ? value : undefined;
}

export function intFlag(context: CommandContext, name: string): number | undefined {
  const value = flag(context, name);
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`);
  return Number(value);
}

/** A `true`/`false` flag as a boolean. */
export function boolFlag(context: CommandContext, name: string): boolean | undefined {
  const value = oneOf(context, name, ['true', 'false']);
  return value === undefined ? undefined : value === 'true';
}

export function oneOf<T extends string>(context: CommandContext, name: string, values: readonly T[]): T | undefined {
  const value = flag(context, name);
  if (value === undefined) return undefined;
  if (!(values as readonly string[]).includes(value)) throw new UsageError(`--${name} must be one of ${values.join(', ')}`);
  return value as T;
}

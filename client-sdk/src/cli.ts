#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { commands } from './cli/commands.ts';
import { UsageError, type Command } from './cli/context.ts';
import { render } from './cli/output.ts';
import { createPressboxClient, PressboxError } from './index.ts';

// eslint-disable-next-line security/detect-non-literal-fs-filename -- the package's own package.json
const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

const usage = `pressbox: command-line client for the Pressbox API

Usage: pressbox <command> [arguments] [--json]
       pressbox <command> --help | pressbox --version

Environment: PRESSBOX_URL (default http://localhost:3000), PRESSBOX_TOKEN (a session token)

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(16)} ${command.summary}`)
  .join('\n')}

Output is a short text form; --json prints JSON (watch: one JSON event per line).
Exit codes: 0 done, 1 the API refused or could not be reached, 2 usage error, 3 partly done
(rows rejected by an import).`;

function commandHelp(name: string, command: Command): string {
  const flags = Object.entries(command.flags ?? {}).map(
    ([flag, spec]) => `  --${flag}${spec.type === 'string' ? ' <value>' : ''}`.padEnd(26) + spec.description,
  );
  return [
    `Usage: pressbox ${command.usage} [--json]`,
    '',
    command.summary,
    '',
    'Flags:',
    ...flags,
    '  --json'.padEnd(26) + 'print JSON',
    '  --help'.padEnd(26) + 'this help',
  ].join('\n');
}

function resolveCommand(argv: string[]): { name: string; rest: string[] } | undefined {
  const [first, second] = argv;
  if (first === undefined) return undefined;
  const pair = second === undefined ? undefined : `${first} ${second}`;
  if (pair && commands[pair]) return { name: pair, rest: argv.slice(2) };
  return commands[first] ? { name: first, rest: argv.slice(1) } : undefined;
}

function describeFailure(error: PressboxError, json: boolean): string {
  if (json) {
    return JSON.stringify({
      status: error.status,
      code: error.code,
      message: error.message,
      requestId: error.requestId,
      issues: error.issues,
    });
  }
  const lines = [`pressbox: ${error.code}${error.status ? ` (${String(error.status)})` : ''}: ${error.message}`];
  for (const issue of error.issues ?? []) lines.push(`  ${issue.path.join('.') || '(input)'}: ${issue.message}`);
  if (error.requestId) lines.push(`  request id: ${error.requestId}`);
  if (error.retryAfterSeconds !== undefined) lines.push(`  retry after ${String(error.retryAfterSeconds)} s`);
  return lines.join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${version}\n`);
    return 0;
  }
  if (argv.length === 1 && (argv[0] === '--help' || argv[0] === '-h' || argv[0] === 'help')) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const resolved = resolveCommand(argv);
  if (!resolved) {
    process.stderr.write(`${argv[0] === undefined ? 'pressbox: missing <command>' : `pressbox: unknown command ${argv[0]}`}\n\n${usage}\n`);
    return 2;
  }
  const command = commands[resolved.name] as Command;
  const options: ParseArgsConfig['options'] = {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
    ...Object.fromEntries(Object.entries(command.flags ?? {}).map(([name, spec]) => [name, { type: spec.type }])),
  };
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({ args: resolved.rest, options, allowPositionals: true, strict: true });
  } catch (error) {
    process.stderr.write(
      `pressbox ${resolved.name}: ${error instanceof Error ? error.message : String(error)}\n\n${commandHelp(resolved.name, command)}\n`,
    );
    return 2;
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${commandHelp(resolved.name, command)}\n`);
    return 0;
  }
  const json = parsed.values.json === true;
  const baseUrl = (process.env.PRESSBOX_URL ?? 'http://localhost:3000').replace(/\/+$/, '');
  const token = process.env.PRESSBOX_TOKEN;
  let exitCode = 0;
  try {
    const result = await command.run({
      client: createPressboxClient({ baseUrl, token }),
      args: parsed.positionals,
      flags: parsed.values as Record<string, string | boolean | undefined>,
      baseUrl,
      token,
      json,
      fail: (code) => (exitCode = code),
    });
    if (result !== undefined) process.stdout.write(`${render(result, json)}\n`);
    return exitCode;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`pressbox ${resolved.name}: ${error.message}\n\n${commandHelp(resolved.name, command)}\n`);
      return 2;
    }
    if (error instanceof PressboxError) {
      process.stderr.write(`${describeFailure(error, json)}\n`);
      return 1;
    }
    process.stderr.write(`pressbox: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));

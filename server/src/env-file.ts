import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';

/**
 * The environment Pressbox configures itself from: the variables of `.env` in the working
 * directory under the process environment, so a variable set in the environment always wins over
 * the file. Without a `.env` file it is the environment alone.
 *
 * @example environmentWithFile(process.env) // { ...variables of ./.env, ...process.env }
 */
export function environmentWithFile(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): NodeJS.ProcessEnv {
  let text: string;
  try {
    // eslint-disable-next-line security/detect-non-literal-fs-filename -- the operator's own configuration file
    text = readFileSync(resolve(cwd, '.env'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return env;
    throw error;
  }
  return { ...parseEnv(text), ...env };
}

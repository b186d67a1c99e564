import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { appRouter, procedureMetas } from '@pressbox/server';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const packages = ['prisma/src', 'jobs/src', 'server/src', 'client-sdk/src'];
const MAX_FUNCTION_LINES = 80;

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'generated' || name === 'node_modules' || name === 'dist') continue;
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const productionFiles = packages.flatMap((dir) => sourceFiles(join(root, dir)));

function parse(path: string): ts.SourceFile {
  return ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true);
}

function functionName(node: ts.Node): string {
  if ((ts.isFunctionDeclaration(node) || ts.isMethodDeclaration(node) || ts.isFunctionExpression(node)) && node.name)
    return node.name.getText();
  const parent = node.parent as ts.Node | undefined;
  if (parent && ts.isVariableDeclaration(parent)) return parent.name.getText();
  if (parent && ts.isPropertyAssignment(parent)) return parent.name.getText();
  return '<anonymous>';
}

/** Every function of the production code longer than the house allows, as `file:name (lines)`. */
function longFunctions(): string[] {
  const found: string[] = [];
  for (const path of productionFiles) {
    const file = parse(path);
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const start = file.getLineAndCharacterOfPosition(node.getStart(file)).line;
        const end = file.getLineAndCharacterOfPosition(node.getEnd()).line;
        const lines = end - start + 1;
        if (lines > MAX_FUNCTION_LINES) found.push(`${relative(root, path)}:${functionName(node)} (${String(lines)})`);
      }
      ts.forEachChild(node, visit);
    };
    visit(file);
  }
  return found;
}

function withoutComments(text: string): string {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/** The relative imports of a file, resolved to paths of the tree. */
function importsOf(path: string): string[] {
  const file = parse(path);
  return file.statements.flatMap((statement) => {
    if (!ts.isImportDeclaration(statement) && !ts.isExportDeclaration(statement)) return [];
    const spec = statement.moduleSpecifier;
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) return [];
    return [resolve(dirname(path), spec.text)];
  });
}

/**
 * The floors of the server package, ground floor first. A file may import files of its own floor
 * or of floors below it, never above.
 */
const serverFloors: string[][] = [
  ['clock.ts', 'version.ts', 'request-context.ts', 'logger.ts', 'config.ts', 'env-file.ts'],
  ['schemas/', 'auth/', 'infra/'],
  ['domain/'],
  ['services/container.ts'],
  ['trpc/'],
  ['routes/', 'router.ts', 'openapi/'],
  ['http/'],
  ['services/'],
  ['app.ts', 'ws.ts'],
  ['server.ts', 'cli/'],
  ['main.ts', 'index.ts'],
];

function floorOf(path: string): number {
  const inside = relative(join(root, 'server/src'), path);
  const floor = serverFloors.findIndex((entries) =>
    entries.some((entry) => (entry.endsWith('/') ? inside.startsWith(entry) : inside === entry)),
  );
  if (floor < 0) throw new Error(`server/src/${inside} is on no floor: add it to the house rules`);
  return floor;
}

const serverFiles = productionFiles.filter((path) => path.startsWith(join(root, 'server/src/')));
const routeFiles = serverFiles.filter((path) => path.startsWith(join(root, 'server/src/routes/')));

/** `me.preferences.patch` -> `me/preferences/patch`, `teams.refreshSummary` -> `teams/refresh-summary`. */
function fileOfProcedure(path: string): string {
  return path
    .split('.')
    .map((segment) => segment.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`))
    .join('/');
}

/** `me.preferences.patch` -> `mePreferencesPatch`: the name of the procedure's handler function. */
function handlerName(path: string): string {
  return path
    .split('.')
    .map((part, index) => (index === 0 ? part : `${part.charAt(0).toUpperCase()}${part.slice(1)}`))
    .join('');
}

describe('the house rules', () => {
  it('defines each procedure in the file its tRPC path names, which is also its REST operationId', () => {
    const missing = [...procedureMetas(appRouter)].flatMap(([path, meta]) => {
      const file = join(root, 'server/src/routes', `${fileOfProcedure(path)}.ts`);
      const problems: string[] = [];
      if (!routeFiles.includes(file)) problems.push(`${path}: no ${relative(root, file)}`);
      else if (!readFileSync(file, 'utf8').includes(`function ${handlerName(path)}(`))
        problems.push(`${path}: its handler is not a function named after the procedure`);
      if (meta?.openapi && meta.openapi.operationId !== undefined) problems.push(`${path}: sets its own operationId`);
      return problems;
    });
    expect(missing).toEqual([]);
  });

  it(`keeps every production function at ${String(MAX_FUNCTION_LINES)} lines or fewer`, () => {
    expect(longFunctions()).toEqual([]);
  });

  it('keeps every import inside the server on its floor or below', () => {
    const upward = serverFiles.flatMap((path) =>
      importsOf(path)
        .filter((target) => target.startsWith(join(root, 'server/src/')) && floorOf(target) > floorOf(path))
        .map((target) => `${relative(root, path)} -> ${relative(root, target)}`),
    );
    expect(upward).toEqual([]);
  });

  it('keeps SQL in the repositories of @pressbox/db', () => {
    const sql = /\$queryRaw|\$executeRaw|\$transaction|\bprisma\.[a-z]\w*\.(find|create|update|upsert|delete|count|aggregate|groupBy)\w*\(/;
    const outside = productionFiles
      .filter((path) => !path.includes('/prisma/src/'))
      .filter((path) => sql.test(withoutComments(readFileSync(path, 'utf8'))))
      .map((path) => relative(root, path));
    expect(outside).toEqual([]);
  });

  it('keeps route files to procedures and their contracts: no SQL, no Prisma, no services but through a domain function', () => {
    const offending = routeFiles
      .filter((path) => {
        const text = readFileSync(path, 'utf8');
        return /@pressbox\/db|ctx\.services\.\w+\.|prisma/.test(text);
      })
      .map((path) => relative(root, path));
    expect(offending).toEqual([]);
  });

  it('pairs every procedure file with its .types.ts, and holds nothing else in routes but routers', () => {
    const names = routeFiles.map((path) => relative(join(root, 'server/src/routes'), path));
    const procedures = names.filter((name) => !name.endsWith('.types.ts') && !name.endsWith('router.ts'));
    const unpaired = procedures.filter((name) => !names.includes(name.replace(/\.ts$/, '.types.ts')));
    const orphans = names.filter((name) => name.endsWith('.types.ts') && !names.includes(name.replace(/\.types\.ts$/, '.ts')));
    expect({ unpaired, orphans }).toEqual({ unpaired: [], orphans: [] });
  });
});

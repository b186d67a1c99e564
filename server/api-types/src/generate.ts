import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { format } from 'prettier';
import ts from 'typescript';

/**
 * Writes `dist/index.d.ts`: Pressbox's tRPC router as a self-contained type. Every input, output
 * and error shape is printed structurally from the server's compiled types, so a frontend gets the
 * exact types the server checks without Zod, Prisma or any other server dependency; only
 * `@trpc/server`'s own types (a peer of `@trpc/client`) are referenced.
 */

const here = dirname(fileURLToPath(import.meta.url));
const entry = join(here, 'public-types.ts');
const serverTsconfig = join(here, '../../tsconfig.json');
const outDir = join(here, '../dist');

class UnprintableType extends Error {
  override name = 'UnprintableType';
}

const identifier = /^[A-Za-z_$][\w$]*$/;

function compile(): { checker: ts.TypeChecker; entryFile: ts.SourceFile } {
  const parsed = ts.getParsedCommandLineOfConfigFile(
    serverTsconfig,
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined },
  );
  if (!parsed) throw new Error(`cannot read ${serverTsconfig}`);
  const program = ts.createProgram([entry], { ...parsed.options, noEmit: true });
  const diagnostics = ts.getPreEmitDiagnostics(program, program.getSourceFile(entry));
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => here, getNewLine: () => '\n' }),
    );
  }
  const entryFile = program.getSourceFile(entry);
  if (!entryFile) throw new Error(`cannot load ${entry}`);
  return { checker: program.getTypeChecker(), entryFile };
}

/** Prints types as plain TypeScript, naming the shapes listed in public-types.ts where they recur. */
class StructuralPrinter {
  private readonly names = new Map<string, string>();
  private readonly stack = new Set<ts.Type>();

  constructor(private readonly checker: ts.TypeChecker) {}

  name(text: string, alias: string): void {
    this.names.set(text, alias);
  }

  print(type: ts.Type, where: string): string {
    const text = this.printUnnamed(type, where);
    return this.names.get(text) ?? text;
  }

  printUnnamed(type: ts.Type, where: string): string {
    if (this.stack.has(type)) throw new UnprintableType(`${where}: recursive type`);
    this.stack.add(type);
    try {
      return this.printInner(type, where);
    } finally {
      this.stack.delete(type);
    }
  }

  private printInner(type: ts.Type, where: string): string {
    const f = ts.TypeFlags;
    const flags = type.flags;
    if (flags & (f.Any | f.Unknown)) return 'unknown';
    if (flags & f.String) return 'string';
    if (flags & f.Number) return 'number';
    if (flags & f.Boolean) return 'boolean';
    if (flags & f.BigInt) return 'bigint';
    if (flags & f.Null) return 'null';
    if (flags & f.Undefined) return 'undefined';
    if (flags & f.Void) return 'void';
    if (flags & f.Never) return 'never';
    if (type.isStringLiteral()) return JSON.stringify(type.value);
    if (type.isNumberLiteral()) return String(type.value);
    if (flags & f.BooleanLiteral) return this.checker.typeToString(type);
    if (type.isUnion()) return this.printUnion(type, where);
    if (type.isIntersection()) {
      if (type.types.every((member) => member.flags & f.Object)) return this.printObject(type, where);
      throw new UnprintableType(`${where}: intersection with a primitive (${this.checker.typeToString(type)})`);
    }
    if (flags & f.Object) {
      if (this.checker.isTupleType(type)) {
        const elements = this.checker.getTypeArguments(type as ts.TypeReference);
        return `[${elements.map((element, index) => this.print(element, `${where}[${String(index)}]`)).join(', ')}]`;
      }
      if (this.checker.isArrayType(type)) {
        const [element] = this.checker.getTypeArguments(type as ts.TypeReference);
        if (!element) throw new UnprintableType(`${where}: array without an element type`);
        const readonly = type.getSymbol()?.getName() === 'ReadonlyArray' ? 'readonly ' : '';
        return `${readonly}Array<${this.print(element, `${where}[]`)}>`;
      }
      return this.printObject(type, where);
    }
    throw new UnprintableType(`${where}: cannot print ${this.checker.typeToString(type)}`);
  }

  private printUnion(type: ts.UnionType, where: string): string {
    const nullish = ts.TypeFlags.Null | ts.TypeFlags.Undefined;
    const members = [...type.types.filter((member) => !(member.flags & nullish)), ...type.types.filter((member) => member.flags & nullish)];
    const booleans = members.filter((member) => member.flags & ts.TypeFlags.BooleanLiteral);
    const printed: string[] = [];
    for (const member of members) {
      if (booleans.length === 2 && member.flags & ts.TypeFlags.BooleanLiteral) {
        if (member === booleans[0]) printed.push('boolean');
        continue;
      }
      printed.push(this.print(member, where));
    }
    return printed.join(' | ');
  }

  private printObject(type: ts.Type, where: string): string {
    if (type.getCallSignatures().length > 0 || type.getConstructSignatures().length > 0) {
      throw new UnprintableType(`${where}: functions cannot cross the API (${this.checker.typeToString(type)})`);
    }
    const members: string[] = [];
    for (const info of this.checker.getIndexInfosOfType(type)) {
      members.push(`[key: ${this.print(info.keyType, where)}]: ${this.print(info.type, `${where}[key]`)}`);
    }
    for (const property of this.checker.getPropertiesOfType(type)) {
      const name = property.getName();
      if (name.startsWith('__@')) throw new UnprintableType(`${where}: symbol-keyed property ${name}`);
      const key = identifier.test(name) ? name : JSON.stringify(name);
      const optional = property.flags & ts.SymbolFlags.Optional ? '?' : '';
      members.push(`${key}${optional}: ${this.print(this.checker.getTypeOfSymbol(property), `${where}.${name}`)}`);
    }
    return members.length === 0 ? '{}' : `{ ${members.join('; ')} }`;
  }
}

function property(checker: ts.TypeChecker, type: ts.Type, name: string, where: string): ts.Type {
  const symbol = checker.getPropertyOfType(type, name);
  if (!symbol) throw new UnprintableType(`${where}: no property ${name}`);
  return checker.getTypeOfSymbol(symbol);
}

/** `AsyncIterable<T, …>` -> T, for subscription outputs. */
function asyncIterableYield(checker: ts.TypeChecker, type: ts.Type, where: string): ts.Type {
  const [yielded] = type.getSymbol()?.getName() === 'AsyncIterable' ? checker.getTypeArguments(type as ts.TypeReference) : [];
  if (!yielded) throw new UnprintableType(`${where}: a subscription's output must be an AsyncIterable`);
  return yielded;
}

/** True when `{}` satisfies the input: the caller may leave it out. */
function everyPropertyOptional(checker: ts.TypeChecker, type: ts.Type): boolean {
  if (!(type.flags & ts.TypeFlags.Object)) return false;
  if (checker.getIndexInfosOfType(type).some((info) => !(info.type.flags & ts.TypeFlags.Never))) return false;
  return checker.getPropertiesOfType(type).every((symbol) => symbol.flags & ts.SymbolFlags.Optional);
}

const procedureKinds = {
  query: 'TRPCQueryProcedure',
  mutation: 'TRPCMutationProcedure',
  subscription: 'TRPCSubscriptionProcedure',
} as const;

function printRecord(printer: StructuralPrinter, checker: ts.TypeChecker, record: ts.Type, path: string): string {
  const entries: string[] = [];
  for (const symbol of checker.getPropertiesOfType(record)) {
    const name = symbol.getName();
    const where = path ? `${path}.${name}` : name;
    const value = checker.getTypeOfSymbol(symbol);
    const def = checker.getPropertyOfType(value, '_def') ? property(checker, value, '_def', where) : undefined;
    const kind = def && checker.getPropertyOfType(def, 'type') ? property(checker, def, 'type', where) : undefined;
    if (!kind?.isStringLiteral()) {
      entries.push(`${name}: ${printRecord(printer, checker, value, where)}`);
      continue;
    }
    const procedureType = kind.value as keyof typeof procedureKinds;
    const types = property(checker, def as ts.Type, '$types', where);
    const inputType = property(checker, types, 'input', where);
    const outputType = property(checker, types, 'output', where);
    let input = printer.print(inputType, `${where} input`);
    if (everyPropertyOptional(checker, inputType)) input = `${input} | undefined`;
    const output =
      procedureType === 'subscription'
        ? `AsyncIterable<${printer.print(asyncIterableYield(checker, outputType, where), `${where} output`)}, void, unknown>`
        : printer.print(outputType, `${where} output`);
    entries.push(`${name}: ${procedureKinds[procedureType]}<{ input: ${input}; output: ${output}; meta: object; errorShape: ErrorShape }>`);
  }
  return `{ ${entries.join('; ')} }`;
}

export async function generate(): Promise<string> {
  const { checker, entryFile } = compile();
  const moduleSymbol = checker.getSymbolAtLocation(entryFile);
  if (!moduleSymbol) throw new Error('public-types.ts has no exports');
  const printer = new StructuralPrinter(checker);
  const declarations: string[] = [];
  let router: ts.Type | undefined;
  for (const exported of checker.getExportsOfModule(moduleSymbol)) {
    const name = exported.getName();
    const type = checker.getDeclaredTypeOfSymbol(exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported);
    if (name === 'AppRouter') {
      router = type;
      continue;
    }
    const text = printer.printUnnamed(type, name);
    printer.name(text, name);
    const doc = ts.displayPartsToString(exported.getDocumentationComment(checker));
    declarations.push(`${doc ? `/** ${doc} */\n` : ''}export type ${name} = ${text};`);
  }
  if (!router) throw new Error('public-types.ts must export AppRouter');
  const record = property(checker, property(checker, router, '_def', 'AppRouter'), 'record', 'AppRouter');

  const source = `/**
 * Pressbox's tRPC router, as a type for clients: \`createTRPCClient<AppRouter>(…)\` from
 * \`@trpc/client\`. Generated from the server's procedures by \`npm run build\`; do not edit.
 */
/// <reference lib="esnext.disposable" />
import type { inferRouterInputs, inferRouterOutputs, TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCSubscriptionProcedure } from '@trpc/server';

${declarations.join('\n\n')}

export type AppRouter = TRPCBuiltRouter<{ ctx: object; meta: object; errorShape: ErrorShape; transformer: false }, ${printRecord(printer, checker, record, '')}>;

/** Inputs of every procedure by path: \`RouterInputs['teams']['news']\`. */
export type RouterInputs = inferRouterInputs<AppRouter>;

/** Outputs of every procedure by path: \`RouterOutputs['teams']['dashboard']\`. */
export type RouterOutputs = inferRouterOutputs<AppRouter>;
`;
  return format(source, { parser: 'typescript', printWidth: 120, singleQuote: true });
}

async function main(): Promise<void> {
  const declarations = await generate();
  await mkdir(outDir, { recursive: true });
  await writeFile(join(outDir, 'index.d.ts'), declarations);
  await writeFile(join(outDir, 'index.js'), 'export {};\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main();

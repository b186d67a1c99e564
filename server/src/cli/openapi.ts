/* eslint-disable security/detect-non-literal-fs-filename -- paths come from configuration and the migrations folder, never from request input */
import { writeFile } from 'node:fs/promises';
import { buildOpenApiDocument } from '../openapi/document.ts';
import { appRouter } from '../router.ts';
import { version } from '../version.ts';

/** Writes openapi.json (to the path given, else stdout): the contract the client SDK is built from. */
const target = process.argv[2];
const json = `${JSON.stringify(buildOpenApiDocument(appRouter, { version, baseUrl: '/api/v1' }), null, 2)}\n`;
if (target) await writeFile(target, json);
else process.stdout.write(json);

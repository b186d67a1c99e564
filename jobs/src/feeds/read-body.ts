import type { IncomingMessage } from 'node:http';
import type { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createBrotliDecompress, createUnzip } from 'node:zlib';

/** The body grew past the cap; thrown as soon as the cap is passed, not after reading it all. */
export class BodyTooLargeError extends Error {
  override name = 'BodyTooLargeError';
  constructor(readonly maxBytes: number) {
    super(`the body is larger than ${String(maxBytes)} bytes`);
  }
}

/** The server used a Content-Encoding we do not decode. */
export class UnsupportedEncodingError extends Error {
  override name = 'UnsupportedEncodingError';
}

function decoderFor(encoding: string): Transform | undefined {
  switch (encoding) {
    case '':
    case 'identity':
      return undefined;
    case 'gzip':
    case 'x-gzip':
    case 'deflate':
      // createUnzip accepts both gzip and zlib-wrapped deflate, which is what "deflate" means in HTTP.
      return createUnzip();
    case 'br':
      return createBrotliDecompress();
    default:
      throw new UnsupportedEncodingError(`unsupported content encoding ${encoding}`);
  }
}

/**
 * Reads a response body, decompressing gzip/deflate/br, and counts bytes AFTER decompression so a
 * 10 KB gzip bomb cannot expand into gigabytes: the stream is torn down the moment the count
 * passes `maxBytes`.
 *
 * @example
 * const body = await readCappedBody(response, 10 * 1024 * 1024);
 */
export async function readCappedBody(response: IncomingMessage, maxBytes: number): Promise<Buffer> {
  const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
  const decoder = decoderFor(encoding);
  const declared = Number(response.headers['content-length']);
  if (decoder === undefined && Number.isFinite(declared) && declared > maxBytes) {
    response.destroy();
    throw new BodyTooLargeError(maxBytes);
  }
  const chunks: Buffer[] = [];
  let total = 0;
  const cap = { exceeded: false };
  const collect = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      total += chunk.length;
      if (total > maxBytes) {
        cap.exceeded = true;
        throw new BodyTooLargeError(maxBytes);
      }
      chunks.push(chunk);
    }
  };
  try {
    if (decoder) await pipeline(response, decoder, collect);
    else await pipeline(response, collect);
  } catch (error) {
    // Tearing the streams down can surface as an AbortError before ours: the flag is the truth.
    if (cap.exceeded) throw new BodyTooLargeError(maxBytes);
    throw error;
  }
  return Buffer.concat(chunks, total);
}

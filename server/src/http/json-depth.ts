const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Whether JSON text nests arrays and objects deeper than `maxDepth`, read without parsing it
 * (brackets inside strings do not count). Works on UTF-8 bytes as on strings, in one pass and
 * constant memory, so a body 10,000 levels deep is refused before anything recurses into it.
 *
 * @example
 * exceedsJsonDepth('[[1]]', 1); // true
 * exceedsJsonDepth('{"a":"[[["}', 1); // false
 */
export function exceedsJsonDepth(text: string | Uint8Array, maxDepth: number): boolean {
  const codeAt = typeof text === 'string' ? (index: number) => text.charCodeAt(index) : (index: number) => text[index] ?? 0;
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let index = 0; index < text.length; index++) {
    const code = codeAt(index);
    if (inString) {
      if (escaped) escaped = false;
      else if (code === BACKSLASH) escaped = true;
      else if (code === QUOTE) inString = false;
    } else if (code === QUOTE) {
      inString = true;
    } else if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      depth += 1;
      if (depth > maxDepth) return true;
    } else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      depth -= 1;
    }
  }
  return false;
}

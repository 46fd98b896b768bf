/**
 * JSON with comments and trailing commas (tsconfig.json, jsconfig.json),
 * read without a dependency. Manifests are outside input: a malformed one is
 * reported as a problem, never thrown.
 */
export type JsonResult = { ok: true; value: unknown } | { ok: false; message: string };

export function parseJsonManifest(text: string, allowComments: boolean): JsonResult {
  const source = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return { ok: true, value: JSON.parse(allowComments ? stripJsonComments(source) : source) };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}

/** Removes // and /* *\/ comments and trailing commas outside strings. */
export function stripJsonComments(text: string): string {
  let out = '';
  let index = 0;
  while (index < text.length) {
    const char = text[index]!;
    if (char === '"') {
      let end = index + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      out += text.slice(index, end + 1);
      index = end + 1;
    } else if (char === '/' && text[index + 1] === '/') {
      while (index < text.length && text[index] !== '\n') index++;
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? text.length : end + 2;
    } else if (char === ',') {
      let next = index + 1;
      while (next < text.length && /\s/.test(text[next]!)) next++;
      if (text[next] !== '}' && text[next] !== ']') out += char;
      index++;
    } else {
      out += char;
      index++;
    }
  }
  return out;
}

/** A plain object (not an array, not null), or undefined. */
export function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/**
 * What the indexer does with a file, decided by one plain function from its
 * path, size and first bytes (the zoekt habit): parse it with a language,
 * or store it only and record why it was not parsed.
 */
import type { SkipReason } from '../model/graph.js';
import type { LanguageSupport } from '../languages/language.js';
import { languageFor } from '../languages/registry.js';

export interface Limits {
  /** Files larger than this are stored but not parsed. */
  maxParseBytes: number;
  /** Files larger than this are neither stored nor parsed. */
  maxStoreBytes: number;
}

export const DEFAULT_LIMITS: Limits = {
  maxParseBytes: 1024 * 1024,
  maxStoreBytes: 32 * 1024 * 1024,
};

export type Classification =
  | { action: 'parse'; language: LanguageSupport }
  | { action: 'store'; skipReason: SkipReason; detail?: string };

/** Looks for a NUL byte in the first 8 KiB, as git does. */
export function isBinary(bytes: Uint8Array): boolean {
  const end = Math.min(bytes.length, 8192);
  for (let i = 0; i < end; i++) if (bytes[i] === 0) return true;
  return false;
}

/** Before reading: links and oversized files are never read. */
export function classifyEntry(
  size: number,
  symlinkTarget: string | undefined,
  limits: Limits,
): { skipReason: SkipReason; detail: string } | undefined {
  if (symlinkTarget !== undefined) return { skipReason: 'symlink', detail: `→ ${symlinkTarget}` };
  if (size > limits.maxStoreBytes) return { skipReason: 'too-large', detail: `${size} bytes > ${limits.maxStoreBytes}` };
  return undefined;
}

/** After reading: binary, too large to parse, of no supported language, or parsed. */
export function classifyContent(path: string, bytes: Uint8Array, limits: Limits): Classification {
  if (isBinary(bytes)) return { action: 'store', skipReason: 'binary' };
  const language = languageFor(path);
  if (!language) return { action: 'store', skipReason: 'unsupported-language' };
  if (bytes.length > limits.maxParseBytes) {
    return { action: 'store', skipReason: 'too-large', detail: `${bytes.length} bytes > ${limits.maxParseBytes}` };
  }
  return { action: 'parse', language };
}

export function countLines(bytes: Uint8Array): number {
  if (bytes.length === 0) return 0;
  let lines = 0;
  for (let i = 0; i < bytes.length; i++) if (bytes[i] === 10) lines++;
  return bytes[bytes.length - 1] === 10 ? lines : lines + 1;
}

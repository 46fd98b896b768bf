/**
 * Source text from the content-addressed store, verified on every read. An
 * integrity failure is part of the answer (`verified: false` with the error),
 * so pages can show it instead of the source.
 */
import type { ContentStore } from '../cas/content-store.js';
import { GraphhubError, invalidInput, notFound } from '../model/errors.js';
import type { GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';

export interface SourceExcerpt {
  file: string;
  blob: string;
  verified: boolean;
  /** First and last line of the excerpt (1-based, inclusive). */
  startLine: number;
  endLine: number;
  lines: string[];
  /** Set when the blob could not be read or failed verification. */
  error?: string;
}

export const MAX_EXCERPT_LINES = 2000;

export async function readExcerpt(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  path: string,
  startLine: number,
  endLine: number,
): Promise<SourceExcerpt> {
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine) {
    throw invalidInput(`bad line range ${startLine}–${endLine}`);
  }
  const file = await store.getFile(graph.id, path);
  if (!file) throw notFound(`no file ${path} in ${graph.repository}@${graph.commit.slice(0, 12)}`);
  if (!file.blob) {
    throw notFound(`${path} is not in the content store (${file.skipReason ?? 'not stored'})`);
  }
  return excerptFromBlob(cas, file.blob, path, startLine, endLine);
}

/** Verified blobs, shared by the excerpts of one answer: a file with many sites is read and hashed once. */
export type BlobLines = Map<string, Promise<Buffer>>;

/**
 * Lines `from`..`to` (1-based, inclusive; fewer where the text ends) of a
 * blob's bytes, split at `\n` as the whole text would be, with no empty last
 * line for a final newline. Only those lines are decoded: a symbol in a
 * 250 KB generated file cost its page ~1.3 ms of decoding and splitting the
 * whole text. A `\n` byte never occurs inside a UTF-8 sequence, so decoding
 * from line starts gives the same text.
 */
export function linesIn(bytes: Buffer, from: number, to: number): string[] {
  let start = 0;
  for (let line = 1; line < from; line++) {
    const newline = bytes.indexOf(10, start);
    if (newline < 0) return [];
    start = newline + 1;
  }
  if (start >= bytes.length) return [];
  let end = start;
  for (let line = from; line <= to && end < bytes.length; line++) {
    const newline = bytes.indexOf(10, end);
    end = newline < 0 ? bytes.length : newline + 1;
  }
  const lines = bytes.toString('utf8', start, end).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Lines [startLine, endLine] of a blob, verified; a failed verification is reported in the excerpt, not thrown. */
export async function excerptFromBlob(
  cas: ContentStore,
  blob: string,
  path: string,
  startLine: number,
  endLine: number,
  shared?: BlobLines,
): Promise<SourceExcerpt> {
  const clampedEnd = Math.min(endLine, startLine + MAX_EXCERPT_LINES - 1);
  try {
    let pending = shared?.get(blob);
    if (!pending) {
      pending = cas.get(blob);
      shared?.set(blob, pending);
    }
    const lines = linesIn(await pending, startLine, clampedEnd);
    return { file: path, blob, verified: true, startLine, endLine: startLine - 1 + Math.max(1, lines.length), lines };
  } catch (error) {
    if (error instanceof GraphhubError && (error.code === 'integrity' || error.code === 'not-found' || error.code === 'invalid-input')) {
      return { file: path, blob, verified: false, startLine, endLine: clampedEnd, lines: [], error: error.message };
    }
    throw error;
  }
}

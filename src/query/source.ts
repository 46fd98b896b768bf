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

/** Lines of verified blobs, shared by the excerpts of one answer: a file with many sites is read and hashed once. */
export type BlobLines = Map<string, Promise<string[]>>;

async function linesOf(cas: ContentStore, blob: string): Promise<string[]> {
  const all = (await cas.get(blob)).toString('utf8').split('\n');
  if (all.length > 0 && all[all.length - 1] === '') all.pop();
  return all;
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
      pending = linesOf(cas, blob);
      shared?.set(blob, pending);
    }
    const all = await pending;
    const last = Math.min(clampedEnd, all.length);
    return {
      file: path,
      blob,
      verified: true,
      startLine,
      endLine: Math.max(startLine, last),
      lines: all.slice(startLine - 1, last),
    };
  } catch (error) {
    if (error instanceof GraphhubError && (error.code === 'integrity' || error.code === 'not-found' || error.code === 'invalid-input')) {
      return { file: path, blob, verified: false, startLine, endLine: clampedEnd, lines: [], error: error.message };
    }
    throw error;
  }
}

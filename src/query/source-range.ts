/**
 * A range of lines of one file of a graph, read from the CAS and verified.
 * Unlike the pages, which show an integrity error in place of the source,
 * this answer fails with an `integrity` error: its whole content is the source.
 */
import type { ContentStore } from '../cas/content-store.js';
import { GraphhubError } from '../model/errors.js';
import type { GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { validateRelativePath } from './folders.js';
import { readExcerpt, type SourceExcerpt } from './source.js';
import { graphRef, type GraphRef } from './views.js';

export interface SourceRange extends GraphRef {
  source: SourceExcerpt;
}

export async function sourceRange(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  path: string,
  startLine: number,
  endLine: number,
): Promise<SourceRange> {
  const source = await readExcerpt(store, cas, graph, validateRelativePath(path), startLine, endLine);
  if (!source.verified) {
    throw new GraphhubError('integrity', `${path}: ${source.error ?? 'verification failed'}`, { blob: source.blob });
  }
  return { ...graphRef(graph), source };
}

/**
 * The file page's data: the file's record, its source from the CAS (verified
 * on read; a failed verification is reported in `source.error`, never served)
 * and the symbols it defines.
 */
import type { ContentStore } from '../cas/content-store.js';
import { notFound } from '../model/errors.js';
import type { FileRecord, GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { validateRelativePath } from './folders.js';
import { excerptFromBlob, MAX_EXCERPT_LINES, type SourceExcerpt } from './source.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface FilePage extends GraphRef {
  file: {
    path: string;
    blob: string;
    size: number;
    language?: string;
    lines?: number;
    skipReason?: FileRecord['skipReason'];
    skipDetail?: string;
    module?: string;
  };
  /** Undefined when the file is not shown; `withheld` says why. */
  source?: SourceExcerpt;
  withheld?: string;
  /** Definitions in the file, in source order (the File symbol itself excluded). */
  symbols: SymbolSummary[];
}

export interface FilePageOptions {
  /** First line to show (default 1); at most MAX_EXCERPT_LINES lines are shown. */
  startLine?: number;
}

export async function filePage(
  store: GraphStore,
  cas: ContentStore,
  graph: GraphInfo,
  path: string,
  options: FilePageOptions = {},
): Promise<FilePage> {
  const filePath = validateRelativePath(path);
  const file = filePath === '' ? undefined : await store.getFile(graph.id, filePath);
  if (!file) throw notFound(`no file ${filePath} in ${graph.repository}@${graph.commit.slice(0, 12)}`);
  const symbols = (await store.symbolsInFile(graph.id, filePath)).filter((symbol) => symbol.kind !== 'file' && symbol.kind !== 'package');
  const page: FilePage = { ...graphRef(graph), file: fileFields(file), symbols: symbols.map(summarize) };
  if (!file.blob) {
    page.withheld = file.skipReason === 'symlink' ? `symbolic link${file.skipDetail ? ` to ${file.skipDetail}` : ''}, not followed` : 'not in the content store';
  } else if (file.skipReason === 'binary') {
    page.withheld = 'binary file';
  } else {
    const startLine = Math.max(1, Math.floor(options.startLine ?? 1));
    page.source = await excerptFromBlob(cas, file.blob, file.path, startLine, startLine + MAX_EXCERPT_LINES - 1);
  }
  return page;
}

function fileFields(file: FileRecord): FilePage['file'] {
  const fields: FilePage['file'] = { path: file.path, blob: file.blob, size: file.size };
  if (file.language) fields.language = file.language;
  if (file.lines !== undefined) fields.lines = file.lines;
  if (file.skipReason) fields.skipReason = file.skipReason;
  if (file.skipDetail) fields.skipDetail = file.skipDetail;
  if (file.module) fields.module = file.module;
  return fields;
}

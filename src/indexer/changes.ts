/**
 * What changed since the repository's previous graph, for incremental
 * indexing: the files whose blobs differ, with their facts before and after.
 * Anything that makes reuse unsafe — another indexer version, a changed
 * manifest (module paths move every import), facts of an old blob no longer
 * cached — answers undefined, and the index is done in full.
 */
import type { FileRecord, GraphInfo } from '../model/graph.js';
import type { FileChange, LanguageSupport } from '../languages/language.js';
import { LANGUAGES, languageFor } from '../languages/registry.js';
import { extractionKey, type GraphStore } from '../store/graph-store.js';
import type { ParsedFile } from './read-files.js';
import { extractorKey } from './read-files.js';

export interface ChangeSet {
  previous: GraphInfo;
  /** Changed files per language id. */
  byLanguage: Map<string, Array<FileChange<unknown>>>;
  changedFiles: number;
}

/**
 * @param localOf a changed file's local facts, where the index keeps them out of memory (ParsedFile.local):
 *   a change's facts are whole on both sides, so a rule can compare everything two versions declare
 */
export async function findChanges(
  store: GraphStore,
  previous: GraphInfo,
  before: Map<string, FileRecord>,
  files: FileRecord[],
  parsed: ParsedFile[],
  localOf?: (file: ParsedFile) => Record<string, unknown>,
): Promise<ChangeSet | undefined> {
  const after = new Map(files.map((file) => [file.path, file]));
  const isManifest = (path: string): boolean => LANGUAGES.some((language) => language.isManifest(path));

  const changedPaths: string[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const old = before.get(path);
    const now = after.get(path);
    if (old?.blob === now?.blob && old?.skipReason === now?.skipReason) continue;
    if (isManifest(path)) return undefined;
    changedPaths.push(path);
  }

  const parsedByPath = new Map(parsed.map((file) => [file.path, file]));
  const byLanguage = new Map<string, Array<FileChange<unknown>>>();
  const wanted: Array<{ path: string; language: LanguageSupport; blob: string; key: string }> = [];
  for (const path of changedPaths) {
    const language = languageFor(path);
    if (!language) continue;
    const old = before.get(path);
    if (old?.blob && old.language === language.id) {
      wanted.push({ path, language, blob: old.blob, key: extractorKey(language, language.dialectOf(path)) });
    }
    const change: FileChange<unknown> = { path };
    const now = parsedByPath.get(path);
    if (now) change.after = now.local && localOf ? { ...(now.facts as Record<string, unknown>), ...localOf(now) } : now.facts;
    const list = byLanguage.get(language.id) ?? [];
    list.push(change);
    byLanguage.set(language.id, list);
  }
  const cached = await store.getExtractions(wanted.map((item) => ({ blob: item.blob, extractor: item.key })));
  for (const item of wanted) {
    const hit = cached.get(extractionKey({ extractor: item.key, blob: item.blob }));
    if (!hit) return undefined;
    const change = byLanguage.get(item.language.id)!.find((candidate) => candidate.path === item.path)!;
    if (hit.facts !== undefined) change.before = JSON.parse(hit.facts);
  }
  return { previous, byLanguage, changedFiles: changedPaths.length };
}

/**
 * The folder tree of a graph: folders with their sub-folders, files and the
 * package each declares. The repository page shows the root; the folder
 * page any other folder. Paths come from URLs and MCP arguments, so they
 * are looked up in the graph's own file list, never on a file system.
 */
import { invalidInput, notFound } from '../model/errors.js';
import type { FileRecord, GraphInfo } from '../model/graph.js';
import type { GraphStore } from '../store/graph-store.js';
import { memoizedForGraph } from './graph-cache.js';
import { graphRef, summarize, type GraphRef, type SymbolSummary } from './views.js';

export interface FolderEntry {
  name: string;
  /** Path relative to the repository root. */
  path: string;
  /** Files anywhere below it. */
  files: number;
}

export interface FileEntry {
  name: string;
  path: string;
  size: number;
  language?: string;
  lines?: number;
  skipReason?: FileRecord['skipReason'];
  /** Set for vendored code: the module the file belongs to. */
  module?: string;
}

export interface FolderListing extends GraphRef {
  /** '' for the repository root. */
  path: string;
  folders: FolderEntry[];
  files: FileEntry[];
  /** The packages declared by files of this folder (Go: one, or a `_test` package too). */
  packages: SymbolSummary[];
}

interface TreeNode {
  folders: Map<string, TreeNode>;
  files: FileRecord[];
  fileCount: number;
}

/** Checks a repository-relative path from outside: no absolute paths, no `.` or `..` segments, no NUL. */
export function validateRelativePath(path: string): string {
  if (path.length > 4096) throw invalidInput('path longer than 4096 characters');
  if (path.includes('\u0000')) throw invalidInput('path contains a NUL character');
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return '';
  if (trimmed.startsWith('/')) throw invalidInput(`not a repository-relative path: ${trimmed.slice(0, 200)}`);
  for (const segment of trimmed.split('/')) {
    if (segment === '' || segment === '.' || segment === '..') throw invalidInput(`bad path segment in ${trimmed.slice(0, 200)}`);
  }
  return trimmed;
}

function buildTree(files: FileRecord[]): TreeNode {
  const root: TreeNode = { folders: new Map(), files: [], fileCount: 0 };
  for (const file of files) {
    const parts = file.path.split('/');
    let node = root;
    node.fileCount++;
    for (const part of parts.slice(0, -1)) {
      let child = node.folders.get(part);
      if (!child) {
        child = { folders: new Map(), files: [], fileCount: 0 };
        node.folders.set(part, child);
      }
      child.fileCount++;
      node = child;
    }
    node.files.push(file);
  }
  return root;
}

function treeOf(store: GraphStore, graph: GraphInfo): Promise<TreeNode> {
  return memoizedForGraph(store, graph, 'tree', async () => buildTree(await store.listFiles(graph.id)));
}

export async function folderListing(store: GraphStore, graph: GraphInfo, path: string): Promise<FolderListing> {
  const folderPath = validateRelativePath(path);
  let node = await treeOf(store, graph);
  if (folderPath !== '') {
    for (const part of folderPath.split('/')) {
      const child = node.folders.get(part);
      if (!child) throw notFound(`no folder ${folderPath} in ${graph.repository}@${graph.commit.slice(0, 12)}`);
      node = child;
    }
  }
  const prefix = folderPath === '' ? '' : `${folderPath}/`;
  const folders = [...node.folders.entries()]
    .map(([name, child]) => ({ name, path: `${prefix}${name}`, files: child.fileCount }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const files = node.files
    .map((file) => fileEntry(file))
    .sort((a, b) => a.name.localeCompare(b.name));
  const packages = (await store.symbolsInFile(graph.id, folderPath)).filter((symbol) => symbol.kind === 'package').map(summarize);
  return { ...graphRef(graph), path: folderPath, folders, files, packages };
}

function fileEntry(file: FileRecord): FileEntry {
  const entry: FileEntry = { name: file.path.slice(file.path.lastIndexOf('/') + 1), path: file.path, size: file.size };
  if (file.language) entry.language = file.language;
  if (file.lines !== undefined) entry.lines = file.lines;
  if (file.skipReason) entry.skipReason = file.skipReason;
  if (file.module) entry.module = file.module;
  return entry;
}

/** Every package of a graph (the folders that declare one), in path order. */
export function packagesOf(store: GraphStore, graph: GraphInfo): Promise<SymbolSummary[]> {
  return memoizedForGraph(store, graph, 'packages', async () => {
    const tree = await treeOf(store, graph);
    const folders: string[] = [];
    const walk = (node: TreeNode, path: string): void => {
      if (node.files.some((file) => file.language !== undefined)) folders.push(path);
      for (const [name, child] of node.folders) walk(child, path === '' ? name : `${path}/${name}`);
    };
    walk(tree, '');
    const packages: SymbolSummary[] = [];
    for (const folder of folders.sort()) {
      for (const symbol of await store.symbolsInFile(graph.id, folder)) {
        if (symbol.kind === 'package') packages.push(summarize(symbol));
      }
    }
    return packages;
  });
}

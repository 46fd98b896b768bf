/**
 * Where a repository's files come from: a git commit (read from git's
 * objects) or a plain directory. Both list entries first and read bytes on
 * demand, so a repository is never held in memory whole.
 */
import { lstatSync, promises as fs, readlinkSync } from 'node:fs';
import { join, relative, resolve as resolvePath, sep } from 'node:path';
import { BlobReader, git, listTree, resolveCommit } from './git.js';

export interface SourceEntry {
  /** Path relative to the repository root, with `/` separators. */
  path: string;
  size: number;
  /** For a symbolic link: its target as written. Links are never followed. */
  symlinkTarget?: string;
  /** Identifies the content without reading it: the git object id, or size, mtime and inode on disk. */
  fingerprint?: string;
}

export interface RepositorySource {
  /** The commit, for git; undefined for a plain directory, whose identity is a hash of its content. */
  readonly commit: string | undefined;
  readonly entries: SourceEntry[];
  read(entry: SourceEntry): Promise<Buffer>;
  close(): void;
}

export async function openGitSource(directory: string, revision: string): Promise<RepositorySource> {
  const commit = await resolveCommit(directory, revision);
  const tree = await listTree(directory, commit);
  const reader = new BlobReader(directory);
  const objects = new Map<string, string>();
  const entries: SourceEntry[] = [];
  const symlinks: Array<{ entry: SourceEntry; object: string }> = [];
  for (const item of tree) {
    const entry: SourceEntry = { path: item.path, size: item.size, fingerprint: `git:${item.object}` };
    objects.set(item.path, item.object);
    if (item.mode === '120000') symlinks.push({ entry, object: item.object });
    entries.push(entry);
  }
  // A link's target is the blob's content; read it now so the entry says where it points.
  for (const { entry, object } of symlinks) entry.symlinkTarget = (await reader.read(object)).toString('utf8');
  return {
    commit,
    entries,
    read: (entry) => reader.read(objects.get(entry.path)!),
    close: () => reader.close(),
  };
}

/**
 * A git work tree as it is on disk, uncommitted edits included: the files
 * git tracks plus untracked ones it does not ignore. Read from disk, with
 * the same rules as a plain directory.
 */
export async function openWorktreeSource(root: string): Promise<RepositorySource> {
  const absoluteRoot = resolvePath(root);
  const listing = (await git(absoluteRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard'])).toString('utf8');
  // A crafted index could name paths outside the tree; they are never followed.
  const paths = [...new Set(listing.split('\0').filter(Boolean))]
    .filter((path) => !path.startsWith('/') && !path.split('/').includes('..'))
    .sort();
  // Synchronous on purpose: one lstat per listed file, and awaiting each on the thread pool cost
  // runc's 1,419 files ~95 ms of every watch re-index where the plain calls take ~18 ms.
  const entries: SourceEntry[] = [];
  for (const path of paths) {
    const full = join(absoluteRoot, ...path.split('/'));
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      continue; // deleted but still in git's index
    }
    if (stat.isSymbolicLink()) {
      try {
        entries.push({ path, size: 0, symlinkTarget: readlinkSync(full) });
      } catch {
        continue; // replaced since the lstat
      }
    } else if (stat.isFile()) entries.push({ path, size: stat.size, fingerprint: `stat:${stat.size}:${stat.mtimeMs}:${stat.ino}` });
  }
  return { commit: undefined, entries, read: (entry) => readRegularFile(absoluteRoot, entry), close: () => undefined };
}

async function readRegularFile(root: string, entry: SourceEntry): Promise<Buffer> {
  const full = join(root, ...entry.path.split('/'));
  // lstat again: a file swapped for a link after listing is not followed.
  const stat = await fs.lstat(full);
  if (!stat.isFile()) throw new Error(`${entry.path} is no longer a regular file`);
  return fs.readFile(full);
}

function vanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

const IGNORED_DIRECTORIES = new Set(['.git', '.hg', '.svn', 'node_modules', '.graphhub']);

/** A plain directory. Symbolic links are listed but never followed, so nothing outside the root is read. */
export async function openDirectorySource(root: string): Promise<RepositorySource> {
  const absoluteRoot = resolvePath(root);
  const entries: SourceEntry[] = [];
  const walk = async (directory: string): Promise<void> => {
    const children = await fs.readdir(directory, { withFileTypes: true });
    children.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const child of children) {
      const full = join(directory, child.name);
      const path = relative(absoluteRoot, full).split(sep).join('/');
      try {
        if (child.isSymbolicLink()) {
          entries.push({ path, size: 0, symlinkTarget: await fs.readlink(full) });
        } else if (child.isDirectory()) {
          if (!IGNORED_DIRECTORIES.has(child.name)) await walk(full);
        } else if (child.isFile()) {
          const stat = await fs.lstat(full);
          entries.push({ path, size: stat.size, fingerprint: `stat:${stat.size}:${stat.mtimeMs}:${stat.ino}` });
        }
      } catch (error) {
        // Removed (or replaced by a file) since its directory was listed: a tree that changes under `watch`
        // while a build tool makes and deletes directories. It is not part of the tree any more.
        if (!vanished(error)) throw error;
      }
    }
  };
  await walk(absoluteRoot);
  return {
    commit: undefined,
    entries,
    read: (entry) => readRegularFile(absoluteRoot, entry),
    close: () => undefined,
  };
}

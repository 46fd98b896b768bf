/**
 * Where a repository's files come from: a git commit (read from git's
 * objects) or a plain directory. Both list entries first and read bytes on
 * demand, so a repository is never held in memory whole.
 */
import { lstatSync, promises as fs, readlinkSync } from 'node:fs';
import { join, resolve as resolvePath } from 'node:path';
import { BlobReader, git, listTree, resolveCommit } from './git.js';
import { pathText, splitNul } from './path-text.js';

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
    // Two names with one text (pathText): the first is kept.
    if (objects.has(item.path)) continue;
    const entry: SourceEntry = { path: item.path, size: item.size, fingerprint: `git:${item.object}` };
    objects.set(item.path, item.object);
    if (item.mode === '120000') symlinks.push({ entry, object: item.object });
    entries.push(entry);
  }
  // A link's target is the blob's content; read it now so the entry says where it points.
  for (const { entry, object } of symlinks) entry.symlinkTarget = pathText(await reader.read(object));
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
  const listing = await git(absoluteRoot, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
  const onDisk = new OnDiskPaths(absoluteRoot);
  // A crafted index could name paths outside the tree; they are never followed.
  for (const raw of splitNul(listing)) {
    const path = onDisk.add([raw]);
    if (path !== undefined && (path.startsWith('/') || path.split('/').includes('..'))) onDisk.forget(path);
  }
  // Synchronous on purpose: one lstat per listed file, and awaiting each on the thread pool cost
  // runc's 1,419 files ~95 ms of every watch re-index where the plain calls take ~18 ms.
  const entries: SourceEntry[] = [];
  for (const path of onDisk.paths().sort()) {
    const full = onDisk.full(path);
    let stat;
    try {
      stat = lstatSync(full);
    } catch {
      continue; // deleted but still in git's index
    }
    if (stat.isSymbolicLink()) {
      try {
        entries.push({ path, size: 0, symlinkTarget: pathText(readlinkSync(full, 'buffer')) });
      } catch {
        continue; // replaced since the lstat
      }
    } else if (stat.isFile()) entries.push({ path, size: stat.size, fingerprint: `stat:${stat.size}:${stat.mtimeMs}:${stat.ino}` });
  }
  return { commit: undefined, entries, read: (entry) => readRegularFile(onDisk, entry), close: () => undefined };
}

/**
 * Paths as the file system spells them, by the text the graph records
 * (pathText: a name that is not UTF-8 is escaped, so its text names no
 * file; the working tree's graph lost such files before). Of two names
 * with one text (`a%FF` and `a\xff`), the first is kept.
 */
class OnDiskPaths {
  private readonly byPath = new Map<string, Buffer>();

  constructor(private readonly root: string) {}

  /** Adds a path given as its segments' bytes (relative to the root); returns its text, or undefined if it is taken. */
  add(segments: Buffer[]): string | undefined {
    const path = segments.map((segment) => pathText(segment)).join('/');
    if (this.byPath.has(path)) return undefined;
    this.byPath.set(path, joinedBytes(segments));
    return path;
  }

  forget(path: string): void {
    this.byPath.delete(path);
  }

  paths(): string[] {
    return [...this.byPath.keys()];
  }

  /** The absolute path, as bytes when the name is not UTF-8 (fs takes either). */
  full(path: string): string | Buffer {
    const raw = this.byPath.get(path);
    if (raw === undefined) throw new Error(`${path} is not a listed path`);
    return raw.toString('utf8') === path ? join(this.root, ...path.split('/')) : Buffer.concat([Buffer.from(`${this.root}/`), raw]);
  }
}

const SLASH = Buffer.from('/');

/** Path segments as bytes, joined by `/`. */
function joinedBytes(segments: Buffer[]): Buffer {
  return Buffer.concat(segments.flatMap((segment, i) => (i === 0 ? [segment] : [SLASH, segment])));
}

async function readRegularFile(onDisk: OnDiskPaths, entry: SourceEntry): Promise<Buffer> {
  const full = onDisk.full(entry.path);
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
  const onDisk = new OnDiskPaths(absoluteRoot);
  const entries: SourceEntry[] = [];
  const walk = async (segments: Buffer[]): Promise<void> => {
    const directory = segments.length === 0 ? absoluteRoot : Buffer.concat([Buffer.from(`${absoluteRoot}/`), joinedBytes(segments)]);
    // Names as bytes: one that is not UTF-8 is still a file of the tree (see OnDiskPaths).
    const children = await fs.readdir(directory, { withFileTypes: true, encoding: 'buffer' });
    children.sort((a, b) => Buffer.compare(a.name, b.name));
    for (const child of children) {
      const childSegments = [...segments, child.name];
      try {
        if (child.isDirectory()) {
          if (!IGNORED_DIRECTORIES.has(child.name.toString('utf8'))) await walk(childSegments);
          continue;
        }
        if (!child.isSymbolicLink() && !child.isFile()) continue;
        const path = onDisk.add(childSegments);
        if (path === undefined) continue;
        const full = onDisk.full(path);
        if (child.isSymbolicLink()) {
          entries.push({ path, size: 0, symlinkTarget: pathText(await fs.readlink(full, 'buffer')) });
        } else {
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
  await walk([]);
  return {
    commit: undefined,
    entries,
    read: (entry) => readRegularFile(onDisk, entry),
    close: () => undefined,
  };
}

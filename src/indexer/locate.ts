/**
 * From what `graphhub index` is given (a local path or a git URL, a revision,
 * a name) to an open RepositorySource and the repository's canonical name.
 */
import { existsSync, mkdirSync, realpathSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GraphhubError, invalidInput } from '../model/errors.js';
import { assertRevision, gitTopLevel, originUrl } from './git.js';
import { openDirectorySource, openGitSource, openWorktreeSource, type RepositorySource } from './source.js';

const execFileAsync = promisify(execFile);

export interface LocatedSource {
  source: RepositorySource;
  name: string;
  url?: string;
  kind: 'git' | 'directory';
  /**
   * For a working tree or a plain directory: lists it again as it is now,
   * without finding the repository's top, name and remote again (`watch`
   * re-lists on every change; each git call is a process start).
   */
  reopen?: () => Promise<RepositorySource>;
}

const NAME_SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._~-]*$/;
/** First segments the hub's own routes use (`/api/…`, `/mcp`): a repository there could not be served. */
const RESERVED_FIRST_SEGMENTS = new Set(['api', 'mcp', 'favicon.ico']);

/** Repository names appear in URLs and file names: segments of letters, digits and `._~-`, no `..`. */
export function assertRepositoryName(name: string): void {
  const segments = name.split('/');
  if (RESERVED_FIRST_SEGMENTS.has(segments[0] ?? '')) {
    throw invalidInput(`repository names cannot start with "${segments[0]}": the hub uses /${segments[0]} for itself`);
  }
  if (name.length === 0 || name.length > 200 || segments.some((segment) => !NAME_SEGMENT.test(segment) || segment === '..')) {
    throw invalidInput(
      `not a valid repository name: ${JSON.stringify(name.slice(0, 80))} (use segments of letters, digits and ._~- separated by /, like github.com/org/repo)`,
    );
  }
}

/** `https://github.com/org/repo.git`, `git@github.com:org/repo.git` → `github.com/org/repo`. */
export function nameFromUrl(url: string): string | undefined {
  let rest: string | undefined;
  const scp = /^[\w.-]+@([\w.-]+):(.+)$/.exec(url);
  if (scp) rest = `${scp[1]}/${scp[2]}`;
  else {
    try {
      const parsed = new URL(url);
      if (parsed.protocol === 'file:') return undefined;
      rest = `${parsed.hostname}${parsed.pathname}`;
    } catch {
      return undefined;
    }
  }
  const name = rest.replace(/\.git\/?$/, '').replace(/\/+$/, '').replace(/^\/+/, '');
  try {
    assertRepositoryName(name);
    return name;
  } catch {
    return undefined;
  }
}

export function isGitUrl(text: string): boolean {
  return /^(https?|ssh|git):\/\//.test(text) || /^[\w.-]+@[\w.-]+:/.test(text);
}

export interface LocateOptions {
  target: string;
  revision?: string;
  name?: string;
  /** Where clones of git URLs are kept. */
  mirrorsDir: string;
  /** Read the working tree as it is on disk (uncommitted edits included) rather than a commit. */
  worktree?: boolean;
}

export async function locateSource(options: LocateOptions): Promise<LocatedSource> {
  if (options.name !== undefined) assertRepositoryName(options.name);
  if (options.revision !== undefined) assertRevision(options.revision);
  if (isGitUrl(options.target)) {
    if (options.worktree) throw invalidInput('--worktree needs a local path, not a git URL');
    return locateUrl(options);
  }

  const path = resolve(options.target);
  if (!existsSync(path) || !statSync(path).isDirectory()) {
    throw invalidInput(`not a directory or git URL: ${options.target}`);
  }
  const real = realpathSync(path);
  const top = await gitTopLevel(real);
  if (top && realpathSync(top) === real) {
    const url = await originUrl(real);
    const name = options.name ?? (url ? nameFromUrl(url) : undefined) ?? sanitizedBase(real);
    if (options.worktree && options.revision !== undefined) throw invalidInput('--worktree reads the files on disk; it cannot be combined with --commit');
    const source = options.worktree ? await openWorktreeSource(real) : await openGitSource(real, options.revision ?? 'HEAD');
    const located: LocatedSource = { source, name, kind: 'git' };
    if (options.worktree) located.reopen = () => openWorktreeSource(real);
    if (url) located.url = url;
    return located;
  }
  if (options.revision !== undefined) {
    throw invalidInput(`${options.target} is not the top of a git repository, so --commit cannot be used`);
  }
  return { source: await openDirectorySource(real), name: options.name ?? sanitizedBase(real), kind: 'directory', reopen: () => openDirectorySource(real) };
}

function sanitizedBase(path: string): string {
  const base = basename(path).replace(/[^A-Za-z0-9._~-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return base || 'repository';
}

async function locateUrl(options: LocateOptions): Promise<LocatedSource> {
  const url = options.target;
  const name = options.name ?? nameFromUrl(url);
  if (!name) throw invalidInput(`cannot derive a repository name from ${url}; pass --repo NAME`);
  mkdirSync(options.mirrorsDir, { recursive: true });
  // The mirror's folder name is a hash: a URL never becomes a path.
  const mirror = join(options.mirrorsDir, createHash('sha256').update(url).digest('hex').slice(0, 32));
  const env = { ...process.env, GIT_TERMINAL_PROMPT: '0' };
  try {
    if (existsSync(join(mirror, 'HEAD'))) {
      await execFileAsync('git', ['-C', mirror, 'fetch', '--prune', '--quiet', 'origin', '+refs/*:refs/*'], { env });
    } else {
      await execFileAsync('git', ['clone', '--mirror', '--quiet', '--', url, mirror], { env });
    }
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw new GraphhubError('source-unavailable', `cannot fetch ${url}: ${stderr || (error as Error).message}`);
  }
  const source = await openGitSource(mirror, options.revision ?? 'HEAD');
  return { source, name, url, kind: 'git' };
}

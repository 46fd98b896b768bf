/**
 * Reading a git repository from its objects (never its working tree) with
 * git's own plumbing: `ls-tree` for the file list and one long-lived
 * `cat-file --batch` process for the bytes.
 *
 * Repositories are outside input: git runs with hooks and fsmonitor off, and
 * every revision we pass is checked not to look like an option.
 */
import { spawn, execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { GraphhubError, invalidInput } from '../model/errors.js';
import { pathText, splitNul } from './path-text.js';

const execFileAsync = promisify(execFile);

const SAFE_CONFIG = ['-c', 'core.fsmonitor=false', '-c', 'core.hooksPath=/dev/null', '-c', 'safe.directory=*'];

export async function git(directory: string, args: string[], maxBuffer = 256 * 1024 * 1024): Promise<Buffer> {
  try {
    const { stdout } = await execFileAsync('git', [...SAFE_CONFIG, '-C', directory, ...args], {
      encoding: 'buffer',
      maxBuffer,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
    return stdout;
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString().trim();
    throw new GraphhubError('source-unavailable', `git ${args[0]} failed in ${directory}: ${stderr || (error as Error).message}`);
  }
}

export async function isGitRepository(directory: string): Promise<boolean> {
  try {
    const out = await git(directory, ['rev-parse', '--is-inside-work-tree', '--is-bare-repository']);
    return out.toString().includes('true');
  } catch {
    return false;
  }
}

/**
 * The directories of a work tree that git ignores whole (`dist/`, `target/`),
 * relative to `directory`: no file in them is part of the working tree's graph.
 * Decoded as UTF-8, not escaped (pathText): they are matched against the
 * watcher's paths, which Node decodes so.
 */
export async function ignoredDirectories(directory: string): Promise<string[]> {
  const listing = (await git(directory, ['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--directory'])).toString('utf8');
  return listing
    .split('\0')
    .filter((path) => path.endsWith('/'))
    .map((path) => path.slice(0, -1))
    .filter((path) => path.length > 0 && !path.startsWith('/') && !path.split('/').includes('..'));
}

/** Is `directory` the top of a git work tree or a bare repository (not merely inside one)? */
export async function gitTopLevel(directory: string): Promise<string | undefined> {
  try {
    const bare = (await git(directory, ['rev-parse', '--is-bare-repository'])).toString().trim();
    if (bare === 'true') return directory;
    return (await git(directory, ['rev-parse', '--show-toplevel'])).toString().trim();
  } catch {
    return undefined;
  }
}

export function assertRevision(revision: string): void {
  if (revision.length === 0 || revision.length > 256 || revision.startsWith('-') || /[\s\x00-\x1f\x7f]/.test(revision)) {
    throw invalidInput(`not a valid revision: ${JSON.stringify(revision.slice(0, 80))}`);
  }
}

export async function resolveCommit(directory: string, revision: string): Promise<string> {
  assertRevision(revision);
  try {
    return (await git(directory, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`])).toString().trim();
  } catch {
    throw new GraphhubError('not-found', `no commit ${revision} in ${directory}`);
  }
}

export async function originUrl(directory: string): Promise<string | undefined> {
  try {
    const url = (await git(directory, ['config', '--get', 'remote.origin.url'])).toString().trim();
    return url || undefined;
  } catch {
    return undefined;
  }
}

export interface TreeEntry {
  path: string;
  mode: string;
  /** git object id (SHA-1 or SHA-256 depending on the repository). */
  object: string;
  size: number;
}

/** Every blob of the commit's tree (files and symbolic links; submodules are left out). */
export async function listTree(directory: string, commit: string): Promise<TreeEntry[]> {
  const out = await git(directory, ['ls-tree', '-r', '-z', '-l', '--full-tree', commit]);
  const entries: TreeEntry[] = [];
  for (const record of splitNul(out)) {
    const tab = record.indexOf(0x09);
    if (tab < 0) continue;
    const [mode, type, object, size] = record.subarray(0, tab).toString('latin1').split(/\s+/);
    if (type !== 'blob' || !mode || !object) continue;
    entries.push({ path: pathText(record.subarray(tab + 1)), mode, object, size: Number(size) || 0 });
  }
  return entries;
}

/**
 * A `git cat-file --batch` process: write object ids, read `<id> <type> <size>\n<bytes>\n` back.
 * Requests are answered in order, so a queue of pending promises is enough.
 */
export class BlobReader {
  private readonly process;
  private buffer: Buffer = Buffer.alloc(0);
  /** Output not yet joined into `buffer`, its length, and how much `buffer` needs before the head request can be answered. */
  private chunks: Buffer[] = [];
  private received = 0;
  private needed = 0;
  private readonly pending: Array<{ resolve: (bytes: Buffer) => void; reject: (error: Error) => void; object: string }> = [];
  private failed: Error | undefined;

  constructor(directory: string) {
    this.process = spawn('git', [...SAFE_CONFIG, '-C', directory, 'cat-file', '--batch'], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_OPTIONAL_LOCKS: '0' },
    });
    this.process.stdout.on('data', (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.received += chunk.length;
      // Joined only once the blob at the head is whole: joining on every pipe chunk copied a large blob again and again.
      if (this.received >= this.needed) this.drain();
    });
    this.process.on('error', (error) => this.fail(error));
    this.process.on('exit', (code) => {
      if (this.pending.length > 0) this.fail(new Error(`git cat-file exited with ${code}`));
    });
    this.process.stdin.on('error', (error) => this.fail(error));
  }

  read(object: string): Promise<Buffer> {
    if (this.failed) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.pending.push({ resolve, reject, object });
      this.process.stdin.write(`${object}\n`);
    });
  }

  private drain(): void {
    if (this.chunks.length > 0) {
      this.buffer = Buffer.concat([this.buffer, ...this.chunks]);
      this.chunks = [];
      this.received = this.buffer.length;
    }
    this.needed = 0;
    while (this.pending.length > 0) {
      const newline = this.buffer.indexOf(10);
      if (newline < 0) return;
      const header = this.buffer.subarray(0, newline).toString();
      const request = this.pending[0]!;
      if (header.endsWith(' missing')) {
        this.buffer = this.buffer.subarray(newline + 1);
        this.pending.shift();
        request.reject(new GraphhubError('source-unavailable', `git object ${request.object} is missing`));
        continue;
      }
      const size = Number(header.split(' ')[2]);
      if (this.buffer.length < newline + 1 + size + 1) {
        this.needed = newline + 1 + size + 1;
        return;
      }
      const bytes = Buffer.from(this.buffer.subarray(newline + 1, newline + 1 + size));
      this.buffer = this.buffer.subarray(newline + 1 + size + 1);
      this.received = this.buffer.length;
      this.pending.shift();
      request.resolve(bytes);
    }
  }

  private fail(error: Error): void {
    this.failed = error;
    for (const request of this.pending.splice(0)) request.reject(error);
  }

  close(): void {
    this.process.stdin.end();
  }
}

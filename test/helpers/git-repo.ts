/**
 * Real git repositories built by tests: write files, commit, and get the
 * commit hash back. No mocks of git.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { tempDir } from './temp.js';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'graphhub test',
  GIT_AUTHOR_EMAIL: 'test@graphhub.invalid',
  GIT_COMMITTER_NAME: 'graphhub test',
  GIT_COMMITTER_EMAIL: 'test@graphhub.invalid',
  GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z',
  GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z',
};

export function git(directory: string, ...args: string[]): string {
  return execFileSync('git', ['-C', directory, ...args], { env: GIT_ENV, encoding: 'utf8' }).trim();
}

export class TestRepo {
  constructor(readonly path: string) {}

  static create(files: Record<string, string> = {}, options: { from?: string } = {}): TestRepo {
    const path = tempDir('graphhub-repo-');
    git(path, 'init', '-q', '-b', 'main');
    const repo = new TestRepo(path);
    if (options.from) cpSync(options.from, path, { recursive: true });
    repo.write(files);
    return repo;
  }

  write(files: Record<string, string>): this {
    for (const [relative, content] of Object.entries(files)) {
      const full = join(this.path, relative);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this;
  }

  remove(relative: string): this {
    rmSync(join(this.path, relative), { force: true, recursive: true });
    return this;
  }

  /** Stages everything and commits; returns the new commit's hash. */
  commit(message = 'commit'): string {
    git(this.path, 'add', '-A');
    git(this.path, 'commit', '-q', '--allow-empty', '-m', message);
    return git(this.path, 'rev-parse', 'HEAD');
  }
}

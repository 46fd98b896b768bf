/**
 * File names are bytes, not always UTF-8. Two names that differ only in
 * bytes that are not UTF-8 (`bad\xff.go`, `bad\xfe.go`) decoded to one path:
 * a commit's index failed on the duplicate row, and a working tree's graph
 * lost the files (the decoded text named nothing on disk). Each is recorded
 * as its own escaped path (`bad%FF.go`), alike from a commit, a working
 * tree and a plain directory.
 */
import { execFileSync } from 'node:child_process';
import { rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openHub } from '../src/hub/hub.js';
import { indexRepository } from '../src/indexer/index-repository.js';
import { openDirectorySource, openGitSource, openWorktreeSource, type RepositorySource } from '../src/indexer/source.js';
import { TestRepo } from './helpers/git-repo.js';
import { renderGraph } from './helpers/render-graph.js';
import { tempDir } from './helpers/temp.js';

const rawName = (directory: string, ...bytes: number[]): Buffer => Buffer.concat([Buffer.from(`${directory}/bad`), Buffer.from(bytes), Buffer.from('.go')]);

describe('file names that are not UTF-8', () => {
  it('are files of their own, with the same escaped paths from a commit, a working tree and a plain directory', async () => {
    const repo = TestRepo.create({ 'main.go': 'package main\n\nfunc main() { first(); second() }\n', '100%.go': 'package main\n\nfunc percent() {}\n' });
    writeFileSync(rawName(repo.path, 0xff), 'package main\n\nfunc first() {}\n');
    writeFileSync(rawName(repo.path, 0xfe), 'package main\n\nfunc second() {}\n');
    // A link whose target is not UTF-8 either: listed (never followed) with the same escaped target everywhere.
    symlinkSync(rawName('.', 0xfd), join(repo.path, 'link.go'));
    const commit = repo.commit('names');
    const plain = tempDir();
    // cp(1): Node's cpSync loses names that are not UTF-8.
    execFileSync('cp', ['-a', `${repo.path}/.`, plain]);
    rmSync(join(plain, '.git'), { recursive: true });

    const renders: string[] = [];
    for (const open of [() => openGitSource(repo.path, commit), () => openWorktreeSource(repo.path), () => openDirectorySource(plain)]) {
      const hub = await openHub({ dataDir: tempDir() });
      const source: RepositorySource = await open();
      try {
        expect(source.entries.map((entry) => entry.path).sort()).toEqual(['100%.go', 'bad%FE.go', 'bad%FF.go', 'link.go', 'main.go']);
        expect(source.entries.find((entry) => entry.path === 'link.go')?.symlinkTarget).toBe('./bad%FD.go');
        const result = await indexRepository({ source, repository: { name: 'example.com/names' }, store: hub.store, cas: hub.cas });
        expect(result.stats.files).toBe(5);
        // Both calls resolve: each file's facts were read from its own bytes.
        expect(result.stats.edges).toBe(2);
        expect((await hub.store.symbolsInFile(result.graph.id, 'bad%FF.go')).map((symbol) => symbol.name)).toContain('first');
        renders.push(await renderGraph(hub.store, result.graph));
      } finally {
        source.close();
        await hub.close();
      }
    }
    expect(renders[1]).toBe(renders[0]);
    expect(renders[2]).toBe(renders[0]);
  });
});

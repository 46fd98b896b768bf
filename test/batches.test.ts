/**
 * A repository of more files than one write batch (read-files.ts writes
 * blobs and extraction-cache rows in batches of 4,096 or 4 MB): every blob
 * is stored, and every file's facts are cached, the last partial batch
 * included.
 */
import { describe, expect, it } from 'vitest';
import { graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

const PACKAGES = 210;
const FILES_PER_PACKAGE = 20;

describe('write batches', () => {
  it('store every blob and cache every extraction of 4,200 files', () => {
    const files: Record<string, string> = { 'go.mod': 'module example.com/many\n\ngo 1.21\n' };
    for (let p = 0; p < PACKAGES; p++) {
      for (let f = 0; f < FILES_PER_PACKAGE; f++) {
        const next = (p + 1) % PACKAGES;
        files[`p${p}/f${f}.go`] = `package p${p}\n\nimport "example.com/many/p${next}"\n\nfunc F${f}() { p${next}.F${(f + 1) % FILES_PER_PACKAGE}() }\n`;
      }
    }
    const repo = TestRepo.create(files);
    repo.commit('many');
    const data = tempDir();
    const sources = PACKAGES * FILES_PER_PACKAGE;

    const first = graphhubJson<{ stats: { files: number; edges: number }; cachedFiles: number }>(data, 'index', repo.path, '--repo', 'example.com/many');
    expect(first.stats.files).toBe(sources + 1);
    expect(first.cachedFiles).toBe(0);
    // Every F calls the next package's F: edges only resolve if every file's facts were read.
    expect(first.stats.edges).toBe(sources);

    const verified = graphhubJson<{ checked: number; corrupt: string[]; missing: string[] }>(data, 'verify');
    expect(verified).toEqual({ checked: sources + 1, corrupt: [], missing: [] });

    // From scratch again: every source file's facts come from the extraction cache.
    const again = graphhubJson<{ stats: { edges: number }; cachedFiles: number }>(data, 'index', repo.path, '--repo', 'example.com/many', '--force');
    expect(again.cachedFiles).toBe(sources);
    expect(again.stats.edges).toBe(sources);
  });
});

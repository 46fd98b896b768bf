/**
 * Indexes a real repository's commits one after the other (each after the
 * first builds on the previous graph), and the last commit again in full in
 * another hub, so a test can compare the two renderings.
 */
import { expect } from 'vitest';
import { openHub } from '../../src/hub/hub.js';
import { indexRepository, type IndexResult } from '../../src/indexer/index-repository.js';
import { openGitSource, openWorktreeSource } from '../../src/indexer/source.js';
import { renderGraph } from './render-graph.js';
import { tempDir } from './temp.js';

export interface IncrementalComparison {
  /** Every index of the sequence, in order. */
  steps: IndexResult[];
  incrementalText: string;
  full: IndexResult;
  fullText: string;
}

export async function indexCommitsAndCompare(repoPath: string, repository: string, commits: string[]): Promise<IncrementalComparison> {
  const incrementalHub = await openHub({ dataDir: tempDir() });
  const fullHub = await openHub({ dataDir: tempDir() });
  try {
    const steps: IndexResult[] = [];
    for (const commit of commits) {
      const source = await openGitSource(repoPath, commit);
      try {
        steps.push(await indexRepository({ source, repository: { name: repository }, store: incrementalHub.store, cas: incrementalHub.cas }));
      } finally {
        source.close();
      }
    }
    const source = await openGitSource(repoPath, commits[commits.length - 1]!);
    let full: IndexResult;
    try {
      full = await indexRepository({ source, repository: { name: repository }, store: fullHub.store, cas: fullHub.cas, incremental: false });
    } finally {
      source.close();
    }
    return {
      steps,
      incrementalText: await renderGraph(incrementalHub.store, steps[steps.length - 1]!.graph),
      full,
      fullText: await renderGraph(fullHub.store, full.graph),
    };
  } finally {
    await incrementalHub.close();
    await fullHub.close();
  }
}

export interface WorktreeComparison {
  first: IndexResult;
  updated: IndexResult;
  updatedText: string;
  fullText: string;
}

/**
 * Indexes a working tree into its in-place graph, applies `edit` to the
 * files on disk, indexes again (updating that graph in place), and indexes
 * the edited tree in full in another hub.
 */
export async function updateWorktreeAndCompare(root: string, repository: string, edit: () => void): Promise<WorktreeComparison> {
  const hub = await openHub({ dataDir: tempDir() });
  const fullHub = await openHub({ dataDir: tempDir() });
  const index = async (target: typeof hub, options: { worktree?: true; incremental?: false }): Promise<IndexResult> => {
    const source = await openWorktreeSource(root);
    try {
      return await indexRepository({ source, repository: { name: repository }, store: target.store, cas: target.cas, ...options });
    } finally {
      source.close();
    }
  };
  try {
    const first = await index(hub, { worktree: true });
    edit();
    const updated = await index(hub, { worktree: true });
    const full = await index(fullHub, { incremental: false });
    return { first, updated, updatedText: await renderGraph(hub.store, updated.graph), fullText: await renderGraph(fullHub.store, full.graph) };
  } finally {
    await hub.close();
    await fullHub.close();
  }
}

/**
 * The last index of the sequence was incremental, changed and reused the
 * files expected, and equals the full index of the same commit.
 */
export function expectIncrementalEqualsFull(comparison: IncrementalComparison, files: { changed: number; reused: number }): void {
  const last = comparison.steps[comparison.steps.length - 1]!;
  expect(last.incremental).toBeDefined();
  expect(last.incremental!.changedFiles).toBe(files.changed);
  expect(comparison.incrementalText).toBe(comparison.fullText);
  const { symbols, edges, unresolved } = comparison.full.stats;
  expect(last.stats).toMatchObject({ symbols, edges, unresolved });
  expect(last.incremental!.reusedFiles).toBe(files.reused);
}

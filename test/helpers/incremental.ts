/**
 * Indexes a real repository's commits one after the other (each after the
 * first builds on the previous graph), and the last commit again in full in
 * another hub, so a test can compare the two renderings.
 */
import { openHub } from '../../src/hub/hub.js';
import { indexRepository, type IndexResult } from '../../src/indexer/index-repository.js';
import { openGitSource } from '../../src/indexer/source.js';
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

/**
 * Python packages are symbols of their directory (like Go's packages), so
 * the golden rendering, which lists symbols file by file, does not show
 * them: this test reads them back through the store.
 */
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openHub } from '../../src/hub/hub.js';
import { indexRepository } from '../../src/indexer/index-repository.js';
import { openDirectorySource } from '../../src/indexer/source.js';
import { tempDir } from '../helpers/temp.js';

const FIXTURE = fileURLToPath(new URL('../../src/languages/python/fixtures/py-packages/', import.meta.url));

it('records every directory with an __init__.py as a package named by its dotted path', async () => {
  const hub = await openHub({ dataDir: tempDir() });
  try {
    const { graph } = await indexRepository({
      source: await openDirectorySource(FIXTURE),
      repository: { name: 'example.com/py-packages' },
      store: hub.store,
      cas: hub.cas,
    });
    const packages = [
      ...(await hub.store.symbolsInFile(graph.id, 'src/acme')),
      ...(await hub.store.symbolsInFile(graph.id, 'src/acme/helpers')),
      ...(await hub.store.symbolsInFile(graph.id, 'tests')),
    ].map((symbol) => `${symbol.kind} ${symbol.qualifiedName} ${symbol.id}`);
    // tests/ has no __init__.py: its files are top-level modules, not a package.
    expect(packages).toEqual(['package acme py:src/acme/:acme', 'package acme.helpers py:src/acme/helpers/:acme.helpers']);
  } finally {
    await hub.close();
  }
});

/**
 * A hub with fixture graphs for the web, API, MCP and browser tests, built
 * for real: git repositories indexed by the indexer, plus one graph written
 * through the store's writer (a function name no Go parser would produce) and
 * one blob corrupted on disk.
 *
 * - github.com/acme/notifier: the Go example module (example.com/notifier).
 * - github.com/acme/consumer: depends on example.com/notifier and calls
 *   alpha.Helper, so that symbol is used in the wild.
 * - github.com/acme/hostile: a file whose path and a string literal hold HOSTILE.
 * - github.com/acme/synthetic: a function named HOSTILE, and its caller.
 * - github.com/acme/corrupt: a file whose blob no longer matches its hash.
 * - github.com/acme/webapp: a small TypeScript package.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openHub, type Hub } from '../../src/hub/hub.js';
import { indexRepository } from '../../src/indexer/index-repository.js';
import { locateSource } from '../../src/indexer/locate.js';
import { fileSymbolId, formatSymbolId } from '../../src/model/symbol-id.js';
import type { SymbolRecord } from '../../src/model/graph.js';
import { tamperBlob } from './blobs.js';
import { TestRepo } from './git-repo.js';
import { tempDir } from './temp.js';

/** The payload every hostile string carries; it must never reach a page unescaped. */
export const HOSTILE = '</script><img src=x onerror=alert(1)>';
export const HOSTILE_PATH = `evil/${HOSTILE}.go`;

export const EXAMPLE = fileURLToPath(new URL('../../src/languages/go/fixtures/notifier', import.meta.url));

export interface HubFixture {
  dataDir: string;
  hub: Hub;
  commits: { notifier: string; consumer: string; hostile: string; synthetic: string; corrupt: string; webapp: string };
  /** The blob of corrupt.go, overwritten on disk. */
  corruptBlob: string;
}

async function indexGit(hub: Hub, repo: TestRepo, name: string, commit: string): Promise<void> {
  const located = await locateSource({ target: repo.path, name, revision: commit, mirrorsDir: join(hub.dataDir, 'mirrors') });
  try {
    await indexRepository({ source: located.source, repository: { name }, store: hub.store, cas: hub.cas });
  } finally {
    located.source.close();
  }
}

export async function buildHubFixture(): Promise<HubFixture> {
  const dataDir = tempDir('graphhub-hub-');
  const hub = await openHub({ dataDir });

  const notifierRepo = TestRepo.create({}, { from: EXAMPLE });
  const notifier = notifierRepo.commit('example');
  await indexGit(hub, notifierRepo, 'github.com/acme/notifier', notifier);

  const consumerRepo = TestRepo.create({
    'go.mod': 'module example.com/consumer\n\ngo 1.21\n\nrequire example.com/notifier v0.3.0\n',
    'main.go': [
      'package main',
      '',
      'import alpha "example.com/notifier/pkg/alpha"',
      '',
      'func main() {',
      '\tprintln(alpha.Helper())',
      '}',
      '',
    ].join('\n'),
  });
  const consumer = consumerRepo.commit('consumer');
  await indexGit(hub, consumerRepo, 'github.com/acme/consumer', consumer);

  const hostileRepo = TestRepo.create({
    'go.mod': 'module example.com/hostile\n\ngo 1.21\n',
    [HOSTILE_PATH]: [
      'package evil',
      '',
      `// Payload returns text that must stay text: ${HOSTILE}`,
      `func Payload() string { return "${HOSTILE}" }`,
      '',
      'func Use() string { return Payload() }',
      '',
    ].join('\n'),
  });
  const hostile = hostileRepo.commit('hostile');
  await indexGit(hub, hostileRepo, 'github.com/acme/hostile', hostile);

  const synthetic = await writeSyntheticGraph(hub);

  const corruptRepo = TestRepo.create({
    'go.mod': 'module example.com/corrupt\n\ngo 1.21\n',
    'corrupt.go': 'package corrupt\n\n// Damaged has bytes on disk that no longer match their hash.\nfunc Damaged() int { return 42 }\n\nfunc Intact() int { return Damaged() }\n',
  });
  const corrupt = corruptRepo.commit('corrupt');
  await indexGit(hub, corruptRepo, 'github.com/acme/corrupt', corrupt);
  const graph = await hub.store.findGraph('github.com/acme/corrupt');
  const file = await hub.store.getFile(graph!.id, 'corrupt.go');
  tamperBlob(dataDir, file!.blob, () => Buffer.from('package corrupt\n\nfunc Damaged() int { return 666 }\n'));

  const webappRepo = TestRepo.create({
    'package.json': '{ "name": "webapp", "version": "1.0.0" }\n',
    'src/greet.ts': [
      'export class Greeter {',
      '  constructor(private readonly name: string) {}',
      '  greet(): string {',
      '    return format(`hello ${this.name}`);',
      '  }',
      '}',
      '',
      'export function format(text: string): string {',
      '  return text.trim();',
      '}',
      '',
    ].join('\n'),
  });
  const webapp = webappRepo.commit('webapp');
  await indexGit(hub, webappRepo, 'github.com/acme/webapp', webapp);

  return { dataDir, hub, commits: { notifier, consumer, hostile, synthetic, corrupt, webapp }, corruptBlob: file!.blob };
}

/** A graph whose function name is HOSTILE: what a hostile or buggy language front end could store. */
async function writeSyntheticGraph(hub: Hub): Promise<string> {
  const commit = 'ab'.repeat(20);
  const text = `package main\n\nfunc ${HOSTILE}() {}\n\nfunc caller() {\n\t${HOSTILE}()\n}\n`;
  const blob = await hub.cas.put(Buffer.from(text));
  const base = { language: 'go', file: 'x.go', signature: '()', exported: false, doc: '', packagePath: 'example.com/synthetic', module: 'example.com/synthetic' };
  const range = (start: number, end: number) => ({ startLine: start, startCol: 1, endLine: end, endCol: 2 });
  const symbols: SymbolRecord[] = [
    { ...base, id: fileSymbolId('go', 'x.go'), kind: 'file', name: 'x.go', qualifiedName: 'x.go', range: range(1, 7), nameLine: 1, nameCol: 1, signature: '' },
    { ...base, id: formatSymbolId({ language: 'go', path: 'x.go', descriptor: `main.${HOSTILE}` }), kind: 'function', name: HOSTILE, qualifiedName: `main.${HOSTILE}`, range: range(3, 3), nameLine: 3, nameCol: 6, signature: `(${HOSTILE})` },
    { ...base, id: formatSymbolId({ language: 'go', path: 'x.go', descriptor: 'main.caller' }), kind: 'function', name: 'caller', qualifiedName: 'main.caller', range: range(5, 7), nameLine: 5, nameCol: 6 },
  ];
  const writer = await hub.store.beginGraph({ name: 'github.com/acme/synthetic' }, commit, 'test');
  await writer.addFiles([{ path: 'x.go', blob, size: text.length, language: 'go', lines: 7 }]);
  await writer.addSymbols(symbols);
  await writer.addEdges([{ caller: symbols[2]!.id, callee: symbols[1]!.id, strategy: 'go.same-package', confidence: 0.85, sites: [{ file: 'x.go', line: 6, col: 2 }] }]);
  await writer.publish({ files: 1, skipped: 0, symbols: 3, edges: 1, unresolved: 0, externalRefs: 0, diagnostics: 0, lines: 7, bytes: text.length, durationMs: 1 });
  return commit;
}

/**
 * Layering, checked: the surfaces (cli, web, mcp) never import each other;
 * src/server/ is the one place that joins web and mcp, and only the CLI uses
 * it. Query code sees the store interface only.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src', import.meta.url));

function sourceFiles(directory: string): string[] {
  return readdirSync(directory, { withFileTypes: true }).flatMap((entry) => {
    const path = join(directory, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

function importedLayers(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const layers: string[] = [];
  for (const match of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
    const target = relative(SRC, join(file, '..', match[1]!));
    layers.push(target.split('/')[0]!);
  }
  return layers;
}

const FORBIDDEN: Record<string, string[]> = {
  web: ['cli', 'mcp', 'server', 'indexer'],
  mcp: ['cli', 'web', 'server', 'indexer'],
  server: ['cli'],
  query: ['cli', 'web', 'mcp', 'server', 'hub', 'indexer'],
  queue: ['cli', 'web', 'mcp', 'server', 'hub'],
  store: ['cli', 'web', 'mcp', 'server', 'hub', 'query', 'indexer', 'queue'],
  cas: ['cli', 'web', 'mcp', 'server', 'hub', 'query', 'indexer', 'queue', 'store'],
  languages: ['cli', 'web', 'mcp', 'server', 'hub', 'query', 'store'],
};

describe('layers', () => {
  it('keeps the surfaces apart', () => {
    const violations: string[] = [];
    for (const file of sourceFiles(SRC)) {
      const layer = relative(SRC, file).split('/')[0]!;
      for (const imported of importedLayers(file)) {
        if (FORBIDDEN[layer]?.includes(imported)) violations.push(`${relative(SRC, file)} imports ${imported}/`);
      }
    }
    expect(violations).toEqual([]);
  });
});

/**
 * Go support: query files (queries/*.scm) plus a small resolver. This file
 * is the registration; see extract.ts and resolve.ts for the two halves.
 */
import type { LanguageSupport } from '../language.js';
import { extractGo, GO_PARSE } from './extract.js';
import type { GoFileFacts } from './facts.js';
import { resolveGo } from './resolve.js';

export const go: LanguageSupport<GoFileFacts> = {
  id: 'go',
  name: 'Go',
  handles: (path) => path.endsWith('.go'),
  dialectOf: () => 'go',
  extractorVersion: '10',
  extract: (text) => extractGo(text),
  parseSpec: () => GO_PARSE,
  // Read only for the file itself: calls and bindings while its calls are resolved (types.ts looks
  // up bindings at a place in the file), doc comments while its symbol records are made. Declarations
  // are read by other files' resolutions too, but through a cache with a budget (decl-cache.ts): what
  // the package index needs of them is their heads.
  localFacts: ['calls', 'bindings', 'docs', 'decls'],
  // The rest too is read back when needed (packages.ts, FileInfo): what the index keeps of a file is what
  // places and names its declarations.
  factsReadBack: true,
  isManifest: (path) => path === 'go.mod' || path.endsWith('/go.mod') || path === 'vendor/modules.txt',
  resolve: resolveGo,
};

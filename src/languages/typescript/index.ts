/**
 * TypeScript and JavaScript support: query files (queries/*.scm) plus a
 * small resolver. This file is the registration; see extract.ts and
 * resolve.ts for the two halves. Both languages share the id `ts`.
 */
import type { LanguageSupport } from '../language.js';
import { extractSafely } from '../syntax-helpers.js';
import { extractTypeScript, typeScriptParse } from './extract.js';
import type { TsFileFacts } from './facts.js';
import { resolveTypeScript } from './resolve.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;

/** Dependencies and bundles are not the repository's code: node_modules is never parsed, nor are minified files. */
function isOwnSource(path: string): boolean {
  return SOURCE.test(path) && !path.split('/').includes('node_modules') && !/\.min\.[cm]?js$/.test(path);
}

export const typescript: LanguageSupport<TsFileFacts> = {
  id: 'ts',
  name: 'TypeScript',
  handles: isOwnSource,
  dialectOf: (path) => (/\.(ts|mts|cts)$/.test(path) ? 'ts' : /\.tsx$/.test(path) ? 'tsx' : 'js'),
  extractorVersion: '7',
  extract: (text, dialect) => extractSafely(() => extractTypeScript(text, dialect)),
  parseSpec: typeScriptParse,
  isManifest: (path) =>
    !path.split('/').includes('node_modules') && /(^|\/)(package\.json|tsconfig[^/]*\.json|jsconfig\.json)$/.test(path),
  // Read only while the file's own calls are resolved (resolve.ts); what the incremental rule needs of
  // them is kept beside them (calledMembers, callSpecifiers).
  localFacts: ['calls', 'details'],
  resolve: resolveTypeScript,
};

/**
 * Python support: query files (queries/*.scm) plus a small resolver. This
 * file is the registration; see extract.ts and resolve.ts for the two halves.
 */
import type { LanguageSupport } from '../language.js';
import { extractSafely } from '../syntax-helpers.js';
import { extractPython, PYTHON_PARSE } from './extract.js';
import type { PyFileFacts } from './facts.js';
import { resolvePython } from './resolve.js';

/** Installed packages and virtual environments are not the repository's code. */
const FOREIGN_DIRECTORIES = new Set(['site-packages', 'node_modules', '.venv', 'venv', '.tox', '__pycache__']);

export const python: LanguageSupport<PyFileFacts> = {
  id: 'py',
  name: 'Python',
  handles: (path) => path.endsWith('.py') && !path.split('/').some((segment) => FOREIGN_DIRECTORIES.has(segment)),
  dialectOf: () => 'py',
  extractorVersion: '5',
  extract: (text) => extractSafely(() => extractPython(text)),
  parseSpec: () => PYTHON_PARSE,
  isManifest: (path) =>
    !path.split('/').some((segment) => FOREIGN_DIRECTORIES.has(segment)) &&
    /(^|\/)(pyproject\.toml|setup\.cfg|requirements[^/]*\.txt|requirements\/[^/]+\.txt)$/.test(path),
  // Read only while the file's own calls are resolved (resolve.ts); what the incremental rule needs of
  // them is kept beside them (calledAttributes).
  localFacts: ['calls', 'details'],
  resolve: resolvePython,
};

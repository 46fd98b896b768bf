/**
 * The languages graphhub knows. Adding a language is one folder under
 * languages/ and one line here.
 */
import { go } from './go/index.js';
import type { LanguageSupport } from './language.js';
import { python } from './python/index.js';
import { rust } from './rust/index.js';
import { typescript } from './typescript/index.js';

export const LANGUAGES: readonly LanguageSupport[] = [
  go as LanguageSupport,
  typescript as LanguageSupport,
  python as LanguageSupport,
  rust as LanguageSupport,
];

export function languageFor(path: string): LanguageSupport | undefined {
  return LANGUAGES.find((language) => language.handles(path));
}

export function languageById(id: string): LanguageSupport | undefined {
  return LANGUAGES.find((language) => language.id === id);
}

/**
 * Rust, for now its manifests only: Cargo.toml gives the crates a
 * repository provides and depends on (module identity for "used in the
 * wild"). Rust sources are not parsed yet, so `handles` claims no file.
 */
import { emptyResolution, type LanguageSupport } from '../language.js';
import { readCargoManifests } from './cargo.js';

export const rust: LanguageSupport<never> = {
  id: 'rs',
  name: 'Rust',
  handles: () => false,
  dialectOf: () => 'rust',
  extractorVersion: '1',
  extract: () => ({ facts: undefined, diagnostics: [] }),
  isManifest: (path) => path === 'Cargo.toml' || path.endsWith('/Cargo.toml'),
  resolve: (input) => {
    const resolution = emptyResolution();
    const cargo = readCargoManifests(input.manifests);
    resolution.modules = cargo.modules;
    resolution.dependencies = cargo.dependencies;
    resolution.diagnostics = cargo.diagnostics;
    return resolution;
  },
};

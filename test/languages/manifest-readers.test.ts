/**
 * The manifest readers behind module resolution and dependency records:
 * package.json export maps, JSON with comments, Python requirement strings,
 * pyproject/Poetry tables and distribution names. Golden fixtures cover
 * them end to end; these cases pin the corners a fixture would need many
 * files for.
 */
import { describe, expect, it } from 'vitest';
import { stripJsonComments } from '../../src/languages/manifest-json.js';
import { DistributionNames } from '../../src/languages/python/distributions.js';
import { parseRequirement, readPythonManifests } from '../../src/languages/python/manifests.js';
import { mapTargets } from '../../src/languages/typescript/module-resolution.js';

describe('package.json export maps', () => {
  const exports = {
    '.': { '@acme/source': './src/index.ts', types: './dist/index.d.ts', import: { node: './dist/node.mjs', default: './dist/index.mjs' } },
    './utils/*': './src/utils/*.ts',
    './utils/internal/*': null,
    './legacy/': './lib/legacy/',
  };

  it('offers every target of the conditions in the order the author wrote them', () => {
    expect(mapTargets(exports, '.')).toEqual(['./src/index.ts', './dist/index.d.ts', './dist/node.mjs', './dist/index.mjs']);
  });

  it('substitutes the star of the longest matching pattern, and a null target blocks the subpath', () => {
    expect(mapTargets(exports, './utils/slug')).toEqual(['./src/utils/slug.ts']);
    expect(mapTargets(exports, './utils/internal/x')).toEqual([]);
  });

  it('maps old-style folder entries and rejects subpaths that are not exported', () => {
    expect(mapTargets(exports, './legacy/a.js')).toEqual(['./lib/legacy/a.js']);
    expect(mapTargets(exports, './missing')).toEqual([]);
  });

  it('treats a string or a conditions object as the root export only', () => {
    expect(mapTargets('./index.js', '.')).toEqual(['./index.js']);
    expect(mapTargets('./index.js', './sub')).toEqual([]);
    expect(mapTargets({ require: './a.cjs', import: './a.mjs' }, '.')).toEqual(['./a.cjs', './a.mjs']);
  });
});

describe('JSON with comments', () => {
  it('drops comments and trailing commas but keeps them inside strings', () => {
    const text = '{ // note\n "a": "http://x/*y*/", /* block */ "b": [1, 2,], }';
    expect(JSON.parse(stripJsonComments(text))).toEqual({ a: 'http://x/*y*/', b: [1, 2] });
  });
});

describe('Python requirements', () => {
  it('reads names, extras, constraints, markers and direct references', () => {
    expect(parseRequirement('requests[socks] >=2.31 ; python_version < "3.12"')).toEqual({ name: 'requests', version: '>=2.31' });
    expect(parseRequirement('Django (>=4.2,<5)')).toEqual({ name: 'Django', version: '>=4.2,<5' });
    expect(parseRequirement('pkg @ https://example.com/pkg.whl')).toEqual({ name: 'pkg', version: 'https://example.com/pkg.whl' });
    expect(parseRequirement('--index-url x')).toBeUndefined();
  });

  it('reads Poetry tables and skips the python constraint', () => {
    const manifests = new Map([
      ['pyproject.toml', '[tool.poetry]\nname = "svc"\n[tool.poetry.dependencies]\npython = "^3.11"\nhttpx = { version = "^0.27", extras = ["http2"] }\n[tool.poetry.group.test.dependencies]\npytest = "^8"\n'],
    ]);
    const result = readPythonManifests(manifests, []);
    expect(result.modules.map((module) => module.name)).toEqual(['svc']);
    expect(result.dependencies.map((dependency) => `${dependency.kind} ${dependency.name} ${dependency.version}`)).toEqual([
      'require httpx ^0.27',
      'dev pytest ^8',
    ]);
  });

  it('names the distribution of an import: declared, well known, standard library, or the import name', () => {
    const names = new DistributionNames(['Pillow', 'python-dateutil', 'my_lib']);
    expect(names.of('PIL')).toBe('Pillow');
    expect(names.of('dateutil')).toBe('python-dateutil');
    expect(names.of('my_lib')).toBe('my_lib');
    expect(names.of('json')).toBe('stdlib');
    expect(names.of('yaml')).toBe('PyYAML');
    expect(names.of('unknownpkg')).toBe('unknownpkg');
  });
});

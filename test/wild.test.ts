/**
 * Used in the wild across real git repositories: a library, an application
 * that depends on it through go.mod, one that vendors it, and a fork of the
 * first application.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { WildAnswer } from '../src/query/wild.js';
import { graphhub, graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { tempDir } from './helpers/temp.js';

const LIBRARY = {
  'go.mod': 'module example.com/lib\n\ngo 1.21\n',
  'log.go': `package lib

// Entry is one log entry.
type Entry struct{ fields map[string]string }

// WithField starts an entry.
func WithField(key, value string) *Entry { return &Entry{fields: map[string]string{key: value}} }

// Info writes the entry.
func (e *Entry) Info(message string) { format(message) }

func format(message string) string { return message }
`,
};

const APP_MAIN = `package main

import "example.com/lib"

func main() {
	lib.WithField("a", "b").Info("started")
	report(lib.WithField("c", "d"))
}

func report(entry *lib.Entry) {
	entry.Info("report")
}
`;

/** Indexes each repository (path, canonical name) into one data folder. */
function indexAll(data: string, repositories: Array<[string, string]>): void {
  for (const [path, name] of repositories) {
    const result = graphhub(data, 'index', path, '--repo', name);
    expect(result.code, result.stderr).toBe(0);
  }
}

describe('used in the wild', () => {
  let data: string;
  beforeAll(() => {
    data = tempDir();
    const lib = TestRepo.create(LIBRARY);
    lib.commit('lib');
    const app = TestRepo.create({ 'go.mod': 'module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v1.2.0\n', 'main.go': APP_MAIN });
    app.commit('app');
    const fork = TestRepo.create({ 'go.mod': 'module example.com/app\n\ngo 1.21\n\nrequire example.com/lib v1.2.0\n', 'main.go': APP_MAIN, 'README': 'a fork\n' });
    fork.commit('fork');
    const vendoring = TestRepo.create({
      'go.mod': 'module example.com/tool\n\ngo 1.21\n\nrequire example.com/lib v1.1.0\n',
      'vendor/modules.txt': '# example.com/lib v1.1.0\n## explicit\nexample.com/lib\n',
      'vendor/example.com/lib/log.go': LIBRARY['log.go'],
      'cmd/tool/main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() {\n\tlib.WithField("x", "y").Info("tool")\n}\n',
    });
    vendoring.commit('tool');
    // Same number of calls as the app, from different code: not a copy.
    const lookalike = TestRepo.create({
      'go.mod': 'module example.com/other\n\ngo 1.21\n\nrequire example.com/lib v1.3.0\n',
      'main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() {\n\t_ = lib.WithField("x", "1")\n\t_ = lib.WithField("y", "2")\n}\n',
    });
    lookalike.commit('lookalike');
    indexAll(data, [
      [lib.path, 'github.com/acme/lib'],
      [app.path, 'github.com/acme/app'],
      [fork.path, 'github.com/someone/app'],
      [vendoring.path, 'github.com/acme/tool'],
      [lookalike.path, 'github.com/other/lookalike'],
    ]);
  });

  it('lists call sites of a library function in dependents, with forks collapsed', () => {
    const answer = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/lib');
    expect(answer.status).toBe('ok');
    expect(answer.target).toEqual({ module: 'example.com/lib', packagePath: 'example.com/lib', symbol: 'WithField' });
    expect(answer.totalRepositories).toBe(3);
    expect(answer.repositories.find((r) => r.repository === 'github.com/other/lookalike')).toMatchObject({ count: 2, forks: [], version: 'v1.3.0' });
    const byName = Object.fromEntries(answer.repositories.map((r) => [r.repository, r]));
    const app = byName['github.com/acme/app'] ?? byName['github.com/someone/app'];
    expect(app).toBeDefined();
    expect(app!.forks).toHaveLength(1);
    expect([app!.repository, ...app!.forks].sort()).toEqual(['github.com/acme/app', 'github.com/someone/app']);
    expect(app!.relation).toBe('depends');
    expect(app!.version).toBe('v1.2.0');
    expect(app!.count).toBe(2);
    expect(app!.sites.map((s) => `${s.file}:${s.line} ${s.caller.qualifiedName}`)).toEqual(['main.go:6 main.main', 'main.go:7 main.main']);
    expect(app!.sites[0]!.excerpt?.verified).toBe(true);
    expect(app!.sites[0]!.excerpt?.lines.join('\n')).toContain('lib.WithField("a", "b")');
    const tool = byName['github.com/acme/tool']!;
    expect(tool.relation).toBe('vendors');
    expect(tool.version).toBe('v1.1.0');
    expect(tool.sites.map((s) => `${s.file}:${s.line}`)).toEqual(['cmd/tool/main.go:6']);
  });

  it('finds method calls through typed values and through vendored code', () => {
    const answer = graphhubJson<WildAnswer>(data, 'wild', 'Entry.Info', '--repo', 'github.com/acme/lib');
    expect(answer.target?.symbol).toBe('Entry.Info');
    const sites = answer.repositories.flatMap((r) => r.sites.map((s) => `${r.repository} ${s.file}:${s.line}`));
    // The app's call through a parameter typed *lib.Entry, and the vendored tool's chained call.
    expect(sites).toContain('github.com/acme/tool cmd/tool/main.go:6');
    expect(sites.some((site) => site.endsWith('main.go:11'))).toBe(true);
  });

  it('says so for an unexported symbol, and pages through repositories', () => {
    const hidden = graphhubJson<WildAnswer>(data, 'wild', 'format', '--repo', 'github.com/acme/lib');
    expect(hidden.status).toBe('not-exported');
    expect(hidden.repositories).toEqual([]);
    const first = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/lib', '--limit', '1');
    expect(first.repositories).toHaveLength(1);
    expect(first.page.nextOffset).toBe(1);
    const second = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/lib', '--limit', '1', '--offset', '1');
    expect(second.repositories).toHaveLength(1);
    expect(second.repositories[0]!.repository).not.toBe(first.repositories[0]!.repository);
    expect(second.page.nextOffset).toBe(2);
    const last = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/lib', '--limit', '1', '--offset', '2');
    expect(last.page.nextOffset).toBeUndefined();
  });

  it('does not count the library calling itself', () => {
    const answer = graphhubJson<WildAnswer>(data, 'wild', 'lib.format', '--repo', 'github.com/acme/tool');
    expect(answer.status).toBe('not-exported');
    const own = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/tool');
    // The vendored copy inside the tool: the library repo does not call it, the app does.
    expect(own.repositories.map((r) => r.repository)).not.toContain('github.com/acme/tool');
  });
});

describe('used in the wild through a hand-made copy', () => {
  let data: string;
  beforeAll(() => {
    data = tempDir();
    const lib = TestRepo.create(LIBRARY);
    lib.commit('lib');
    // As runc copies part of go-systemd into internal/third_party: no go.mod line, no vendor/, only the package doc says where the code is from.
    const copier = TestRepo.create({
      'go.mod': 'module example.com/copier\n\ngo 1.21\n',
      'internal/third_party/lib/log.go': LIBRARY['log.go'].replace(
        'package lib',
        '// Package lib is a trimmed copy of https://example.com/lib\n// (to avoid a dependency).\npackage lib',
      ),
      'internal/clone/clone.go': '// Package clone returns a copy of the map it is given.\npackage clone\n\n// Map copies m.\nfunc Map(m map[string]string) map[string]string { return m }\n',
      'main.go': 'package main\n\nimport (\n\t"example.com/copier/internal/clone"\n\tlib "example.com/copier/internal/third_party/lib"\n)\n\nfunc main() {\n\tlib.WithField("k", "v")\n\tclone.Map(nil)\n}\n',
    });
    copier.commit('copier');
    indexAll(data, [
      [lib.path, 'github.com/acme/lib'],
      [copier.path, 'github.com/acme/copier'],
    ]);
  });

  it('counts calls into the copy as uses of the module it was copied from', () => {
    const answer = graphhubJson<WildAnswer>(data, 'wild', 'WithField', '--repo', 'github.com/acme/lib');
    expect(answer.repositories.map((r) => [r.repository, r.relation, r.sites.map((s) => `${s.file}:${s.line} ${s.caller.qualifiedName}`)])).toEqual([
      ['github.com/acme/copier', 'vendors', ['main.go:9 main.main']],
    ]);
  });

  it('gives the copy the module and package path it came from, and leaves ordinary code alone', () => {
    const copied = graphhubJson<{ symbol: { module: string; packagePath: string; file: string } }>(data, 'symbol', 'lib.WithField', '--repo', 'github.com/acme/copier');
    expect(copied.symbol).toMatchObject({ module: 'example.com/lib', packagePath: 'example.com/lib', file: 'internal/third_party/lib/log.go' });
    const own = graphhubJson<{ symbol: { module: string; packagePath: string } }>(data, 'symbol', 'clone.Map', '--repo', 'github.com/acme/copier');
    expect(own.symbol).toMatchObject({ module: 'example.com/copier', packagePath: 'example.com/copier/internal/clone' });
  });
});

/**
 * Incremental indexing of TypeScript/JavaScript: a new commit resolves only
 * the files its changes can affect, and the result equals a full index of
 * the same commit, whichever way a change reaches an unchanged file.
 */
import { describe, expect, it } from 'vitest';
import { graphhubJson } from './helpers/cli.js';
import { TestRepo } from './helpers/git-repo.js';
import { expectIncrementalEqualsFull, indexCommitsAndCompare, updateWorktreeAndCompare, type WorktreeComparison } from './helpers/incremental.js';
import { tempDir } from './helpers/temp.js';

const V1: Record<string, string> = {
  'package.json': JSON.stringify({ name: 'acme-root', private: true, workspaces: ['packages/*'] }),
  'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@lib/*': ['src/lib/*', 'src/fallback/*'] } } }),
  // A workspace package whose barrel re-exports from its modules.
  'packages/core/package.json': JSON.stringify({ name: '@acme/core', main: 'src/index.ts' }),
  'packages/core/src/index.ts': "export * from './client';\nexport { slug } from './strings';\n",
  'packages/core/src/client.ts':
    'export class Client {\n  send(message: string): string {\n    return message;\n  }\n}\n\nexport function createClient(): Client {\n  return new Client();\n}\n',
  'packages/core/src/strings.ts':
    'export function slug(text: string): string {\n  return text.toLowerCase();\n}\n\nexport function shout(text: string): string {\n  return text.toUpperCase();\n}\n',
  'packages/web/package.json': JSON.stringify({ name: '@acme/web', dependencies: { '@acme/core': 'workspace:*' } }),
  'packages/web/src/app.ts':
    "import { createClient, shout, slug } from '@acme/core';\n\nexport function run(): string {\n  const client = createClient();\n  client.send('hi');\n  shout('x');\n  return slug('Hello');\n}\n",
  // A tsconfig paths pattern with two targets: the first that exists wins.
  'src/fallback/format.ts': 'export function format(value: string): string {\n  return value;\n}\n',
  'src/main.ts': "import { format } from '@lib/format';\n\nexport function main(): void {\n  format('a');\n}\n",
  'src/lib/pick.ts': 'export function pick(): number {\n  return 1;\n}\n',
  'src/fallback/pick.ts': '// The fallback.\nexport function pick(): number {\n  return 0;\n}\n',
  'src/picker.ts': "import { pick } from '@lib/pick';\n\nexport function picker(): number {\n  return pick();\n}\n",
  // A module that will move into a directory of its own, imported and required.
  'src/util.ts': 'export function helper(): number {\n  return 1;\n}\n',
  'src/uses-util.ts': "import { helper } from './util';\n\nexport function useHelper(): number {\n  return helper();\n}\n",
  'src/cjs-user.js': "const util = require('./util');\n\nfunction viaRequire() {\n  return util.helper();\n}\n\nmodule.exports = { viaRequire };\n",
  // A class hierarchy two files deep.
  'src/shapes/base.ts': "export class Base {\n  describe(): string {\n    return 'base';\n  }\n}\n",
  'src/shapes/mixin.ts': 'export class Scalable {\n  scale(): number {\n    return 2;\n  }\n}\n',
  'src/shapes/circle.ts': "import { Base } from './base';\n\nexport class Circle extends Base {\n  area(): number {\n    return 1;\n  }\n}\n",
  'src/draw.ts': "import { Circle } from './shapes/circle';\n\nexport function draw(): void {\n  const circle = new Circle();\n  circle.area();\n  circle.scale();\n}\n",
  // A name-only guess into a file that is resolved again (it imports a change) while this one is not.
  'src/shapes/outline.ts': "import { Base } from './base';\n\nexport class Outlined extends Base {\n  outline(): void {}\n}\n",
  'src/tap.js': 'function tap(thing) {\n  thing.outline();\n}\n\nmodule.exports = { tap };\n',
  // An interface, one class that implements it, and one that implements a look-alike.
  'src/store.ts': 'export interface Store {\n  save(key: string): void;\n}\n',
  'src/contracts.ts': 'export interface Store {\n  load(): void;\n}\n',
  'src/memory-store.ts': "import type { Store } from './store';\n\nexport class MemoryStore implements Store {\n  save(key: string): void {}\n}\n",
  'src/disk-store.ts': "import type { Store } from './contracts';\n\nexport class DiskStore implements Store {\n  save(key: string): void {}\n  load(): void {}\n}\n",
  'src/persist.ts': "import type { Store } from './store';\n\nexport function persist(store: Store): void {\n  store.save('k');\n}\n",
  // An interface inheriting through a generic type from another file, used in a third.
  'src/api/base.ts': 'export interface Reader<T> {\n  read(): T;\n}\n',
  'src/api/child.ts': "import type { Reader } from './base';\n\nexport interface Source extends Reader<string> {\n  open(): void;\n}\n",
  'src/consume.ts': "import type { Source } from './api/child';\n\nexport function consume(source: Source): void {\n  source.read();\n  source.close();\n}\n",
  // A callback's parameter typed by the declaration of the function it is passed to.
  'src/sink.ts': 'export class Sink {\n  push(): void {}\n}\n\nexport class Drain {\n  push(): void {}\n}\n',
  'src/pipeline.ts': "import type { Sink } from './sink';\n\nexport function operate(init: (sink: Sink) => void): void {}\n",
  'src/operator.ts': "import { operate } from './pipeline';\n\nexport function op(): void {\n  operate((sink) => sink.push());\n}\n",
  // A receiver of unknown type: only a name-only guess can resolve it.
  'src/loose.js': 'function poke(thing) {\n  thing.frobnicate();\n}\n\nmodule.exports = { poke };\n',
  // Re-exports in a cycle: what `deep` is, seen from b.ts, must not depend on a-user.ts being resolved first.
  'src/cycle/a.ts': "export * from './b';\nexport * from './c';\n",
  'src/cycle/b.ts': "export * from './a';\n",
  'src/cycle/c.ts': 'export function deep(): number {\n  return 1;\n}\n',
  'src/cycle/a-user.ts': "import { deep } from './a';\n\nexport function viaA(): number {\n  return deep();\n}\n",
  'src/cycle/b-user.ts': "import { deep } from './b';\n\nexport function viaB(): number {\n  return deep();\n}\n",
  // Nothing here depends on anything that changes.
  'src/standalone.ts': 'function alpha(): void {\n  beta();\n}\n\nfunction beta(): void {}\n\nexport { alpha };\n',
  'src/quiet.ts': "import { alpha } from './standalone';\n\nexport function quiet(): void {\n  alpha();\n}\n",
};

/** The second commit: edits that reach unchanged files in every way the resolver looks across files. */
function applyV2(repo: TestRepo): void {
  repo.write({
    // A barrel gains one re-export and loses another: app.ts (unchanged) sees both.
    'packages/core/src/index.ts': "export * from './client';\nexport { shout } from './strings';\n",
    // A method renamed in a workspace package, two files from its caller.
    'packages/core/src/client.ts':
      'export class Client {\n  post(message: string): string {\n    return message;\n  }\n}\n\nexport function createClient(): Client {\n  return new Client();\n}\n',
    // The first target of a paths pattern appears: main.ts's import now finds it.
    'src/lib/format.ts': "export function format(value: string): string {\n  return `${value}!`;\n}\n",
    // A module moves into a directory: './util' now means util/index.ts.
    'src/util/index.ts': '// Moved.\nexport function helper(): number {\n  return 2;\n}\n',
    // A base class gains a base of its own: circle.scale() in draw.ts is now inherited.
    'src/shapes/base.ts': "import { Scalable } from './mixin';\n\nexport class Base extends Scalable {\n  describe(): string {\n    return 'base';\n  }\n}\n",
    // contracts.ts re-exports the real Store: DiskStore (unchanged) now implements it.
    'src/contracts.ts': "export { Store } from './store';\n",
    // Only this file of the cycle changes.
    'src/cycle/b-user.ts': "import { deep } from './b';\n\nexport function viaB(): number {\n  deep();\n  return deep();\n}\n",
    // A base interface gains a method: consume.ts (unchanged) calls it through the interface extending it.
    'src/api/base.ts': 'export interface Reader<T> {\n  read(): T;\n  close(): void;\n}\n',
    // The callback's parameter is declared with another class: operator.ts (unchanged) calls its method.
    'src/pipeline.ts': "import type { Drain } from './sink';\n\nexport function operate(init: (sink: Drain) => void): void {}\n",
    // A method of the name loose.js calls appears in an unrelated file.
    'src/gadget.ts': 'export class Gadget {\n  frobnicate(): void {}\n}\n',
  });
  repo.remove('src/util.ts');
  // The first target of a paths pattern goes: picker.ts's import falls back to a file that did not change.
  repo.remove('src/lib/pick.ts');
}

/** The second commit's edits made on disk, uncommitted, to a working tree indexed in place. */
function indexCommitsWorktree(repo: TestRepo): Promise<WorktreeComparison> {
  return updateWorktreeAndCompare(repo.path, 'example.com/acme', () => applyV2(repo));
}

describe('incremental indexing of TypeScript', () => {
  it('resolves only the affected files and equals a full index of the new commit', async () => {
    const repo = TestRepo.create(V1);
    const v1 = repo.commit('v1');
    applyV2(repo);
    const v2 = repo.commit('v2');
    // A local edit: only that file changes.
    repo.write({ 'src/standalone.ts': 'function alpha(): void {\n  beta();\n  beta();\n}\n\nfunction beta(): void {}\n\nexport { alpha };\n' });
    const v3 = repo.commit('v3');

    const second = await indexCommitsAndCompare(repo.path, 'example.com/acme', [v1, v2]);
    // Files that reach no change: strings.ts, fallback/format.ts, fallback/pick.ts, mixin.ts, store.ts,
    // memory-store.ts (it calls nothing), cycle/{a,b,c,a-user}.ts, tap.js, standalone.ts, quiet.ts and sink.ts.
    expectIncrementalEqualsFull(second, { changed: 12, reused: 14 });

    // The changes really changed the answers (so the equality above is not vacuous).
    const text = second.incrementalText;
    expect(text).toContain('run → shout (packages/core/src/strings.ts:5)');
    expect(text).not.toContain('run → slug');
    expect(text).not.toContain('run → Client.send');
    expect(text).toContain('main → format (src/lib/format.ts:1)');
    expect(text).toContain('picker → pick (src/fallback/pick.ts:2)');
    expect(text).toContain('viaA → deep (src/cycle/c.ts:1)');
    expect(text).toContain('viaB → deep (src/cycle/c.ts:1)');
    expect(text).toContain('useHelper → helper (src/util/index.ts:2)');
    expect(text).toContain('viaRequire → helper (src/util/index.ts:2)');
    expect(text).toContain('draw → Scalable.scale (src/shapes/mixin.ts:2)');
    expect(text).toMatch(/persist → DiskStore\.save \(src\/disk-store\.ts:4\)/);
    expect(text).toContain('consume → Reader.close (src/api/base.ts:3)');
    expect(text).toContain('op → Drain.push (src/sink.ts:6)');
    expect(text).toMatch(/poke → Gadget\.frobnicate \(src\/gadget\.ts:2\)  ts\.name-only/);
    expect(text).toMatch(/tap → Outlined\.outline \(src\/shapes\/outline\.ts:4\)  ts\.name-only/);

    const local = await indexCommitsAndCompare(repo.path, 'example.com/acme', [v2, v3]);
    expect(local.incrementalText).toBe(local.fullText);
    // standalone.ts alone: a call added inside a body is nothing quiet.ts, which imports it, can see.
    expect(local.steps[1]!.incremental).toMatchObject({ changedFiles: 1, resolvedFiles: 1 });
  });

  it('updates a working tree graph in place, equal to a full index of the edited files', async () => {
    const repo = TestRepo.create(V1);
    repo.commit('v1');
    const result = await indexCommitsWorktree(repo);
    expect(result.updated.graph.id).toBe(result.first.graph.id);
    expect(result.updated.incremental?.reusedFiles).toBe(14);
    expect(result.updatedText).toBe(result.fullText);
    expect(result.updatedText).toMatch(/tap → Outlined\.outline/);
  });

  it('falls back to a full index when a workspace package is renamed, and still equals one', async () => {
    const repo = TestRepo.create(V1);
    const v1 = repo.commit('v1');
    repo.write({ 'packages/core/package.json': JSON.stringify({ name: '@acme/kernel', main: 'src/index.ts' }) });
    const v2 = repo.commit('rename');
    const result = await indexCommitsAndCompare(repo.path, 'example.com/acme', [v1, v2]);
    expect(result.steps[1]!.incremental).toBeUndefined();
    expect(result.incrementalText).toBe(result.fullText);
    // '@acme/core' now names a package outside the repository.
    expect(result.incrementalText).toContain('run → [@acme/core] @acme/core createClient');
  });

  it('reports through the CLI that a one-file change resolves fewer files', () => {
    const data = tempDir();
    const repo = TestRepo.create(V1);
    repo.commit('v1');
    const first = graphhubJson<{ incremental?: unknown; stats: { files: number; skipped: number } }>(data, 'index', repo.path, '--repo', 'example.com/acme');
    expect(first.incremental).toBeUndefined();
    // A field added: what the class offers changes, its method names do not.
    repo.write({ 'src/shapes/circle.ts': "import { Base } from './base';\n\nexport class Circle extends Base {\n  radius = 1;\n\n  area(): number {\n    return 3;\n  }\n}\n" });
    repo.commit('v2');
    const second = graphhubJson<{ incremental: { changedFiles: number; resolvedFiles: number; reusedFiles: number } }>(
      data,
      'index',
      repo.path,
      '--repo',
      'example.com/acme',
    );
    const parsed = first.stats.files - first.stats.skipped;
    expect(second.incremental.changedFiles).toBe(1);
    // circle.ts, draw.ts (imports it), and nothing else: no method name changed.
    expect(second.incremental.resolvedFiles).toBe(2);
    expect(second.incremental.reusedFiles).toBe(parsed - 2);
  });
});

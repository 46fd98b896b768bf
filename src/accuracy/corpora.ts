/**
 * The code the accuracy harness measures on. Real code is obtained at run
 * time at pinned versions and never committed: Debian's golang-*-dev packages
 * (Go sources under /usr/share/gocode/src), npm packages that ship their
 * TypeScript sources (`npm pack` at an exact version, or the copy npm
 * installed when it is that version), a git mirror at a fixed commit, and
 * the fixture repositories kept beside each language.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export type CorpusOrigin =
  | { kind: 'debian'; package: string; version: string; path: string }
  | { kind: 'npm'; package: string; version: string; directories: string[] }
  /** A Debian python3-* package: the listed entries of /usr/lib/python3/dist-packages. */
  | { kind: 'debian-python'; package: string; version: string; entries: string[] }
  | { kind: 'git'; mirror: string; commit: string }
  | { kind: 'fixture'; path: string };

export type CorpusLanguage = 'go' | 'ts' | 'python';

/** The folder under src/languages/ a language's fixtures live in. */
const FIXTURE_FOLDER: Record<CorpusLanguage, string> = { go: 'go', ts: 'typescript', python: 'python' };

export interface Corpus {
  language: CorpusLanguage;
  /** The repository name graphhub indexes it as; for Go also its import path. */
  name: string;
  origin: CorpusOrigin;
}

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const GOCODE = '/usr/share/gocode/src';

function fixture(language: CorpusLanguage, name: string): Corpus {
  const path = join(REPOSITORY_ROOT, 'src', 'languages', FIXTURE_FOLDER[language], 'fixtures', name);
  const goMod = join(path, 'go.mod');
  const module = language === 'go' && existsSync(goMod) ? /^module\s+(\S+)/m.exec(readFileSync(goMod, 'utf8'))?.[1] : undefined;
  return { language, name: module ?? `example.com/${name}`, origin: { kind: 'fixture', path } };
}

/** An npm package's sources: the listed folders of its published tarball, with its package.json. */
function npm(pkg: string, version: string, directories: string[]): Corpus {
  return { language: 'ts', name: `npmjs.com/${pkg}`, origin: { kind: 'npm', package: pkg, version, directories } };
}

function debian(importPath: string, pkg: string, version: string): Corpus {
  return { language: 'go', name: importPath, origin: { kind: 'debian', package: pkg, version, path: join(GOCODE, importPath) } };
}

/** A Debian package installed at a directory other than its module path (a /vN module). */
function debianAt(modulePath: string, directory: string, pkg: string, version: string): Corpus {
  return { language: 'go', name: modulePath, origin: { kind: 'debian', package: pkg, version, path: join(GOCODE, directory) } };
}

/** Debian bookworm's versions; a different installed version is run and flagged in the report. */
const GO_DEBIAN: Corpus[] = [
  debian('github.com/pkg/errors', 'golang-github-pkg-errors-dev', '0.9.1-2'),
  debian('github.com/sirupsen/logrus', 'golang-github-sirupsen-logrus-dev', '1.9.0-1'),
  debian('github.com/spf13/cobra', 'golang-github-spf13-cobra-dev', '1.6.1-1'),
  debian('github.com/spf13/pflag', 'golang-github-spf13-pflag-dev', '1.0.6~git20210604-d5e0c0615ace-1'),
  debian('github.com/spf13/afero', 'golang-github-spf13-afero-dev', '1.9.3-1'),
  debian('github.com/spf13/viper', 'golang-github-spf13-viper-dev', '1.10.1-1'),
  debian('github.com/google/go-cmp', 'golang-github-google-go-cmp-dev', '0.5.9-1'),
  debian('github.com/gorilla/mux', 'golang-github-gorilla-mux-dev', '1.8.0-1'),
  debian('github.com/urfave/cli', 'golang-github-urfave-cli-dev', '1.22.9-2'),
  debian('github.com/stretchr/testify', 'golang-github-stretchr-testify-dev', '1.8.1-1'),
  debian('github.com/pelletier/go-toml', 'golang-github-pelletier-go-toml-dev', '1.9.4-1'),
  debian('github.com/BurntSushi/toml', 'golang-github-burntsushi-toml-dev', '1.2.0-2'),
  debian('github.com/mitchellh/mapstructure', 'golang-github-mitchellh-mapstructure-dev', '1.5.0-2'),
  debian('github.com/hashicorp/hcl', 'golang-github-hashicorp-hcl-dev', '1.0.0-1.1'),
  debian('github.com/fsnotify/fsnotify', 'golang-github-fsnotify-fsnotify-dev', '1.6.0-2'),
  debian('github.com/pkg/sftp', 'golang-github-pkg-sftp-dev', '1.13.5-2'),
  debian('github.com/opencontainers/runc', 'golang-github-opencontainers-runc-dev', '1.1.5+ds1-1+deb12u1'),
  debian('github.com/miekg/dns', 'golang-github-miekg-dns-dev', '1.1.50-2'),
  debian('github.com/gin-gonic/gin', 'golang-github-gin-gonic-gin-dev', '1.8.1-1'),
  debian('github.com/prometheus/client_golang', 'golang-github-prometheus-client-golang-dev', '1.14.0-3'),
  debian('github.com/gorilla/websocket', 'golang-github-gorilla-websocket-dev', '1.5.0-2'),
  debian('github.com/hashicorp/raft', 'golang-github-hashicorp-raft-dev', '1.1.2-1'),
  debianAt('github.com/go-git/go-git/v5', 'github.com/go-git/go-git', 'golang-github-go-git-go-git-dev', '5.4.2-3'),
  debianAt('github.com/labstack/echo/v4', 'github.com/labstack/echo', 'golang-github-labstack-echo-dev', '4.2.1-3'),
  debianAt('github.com/go-chi/chi/v5', 'github.com/go-chi/chi', 'golang-github-go-chi-chi-dev', '5.0.7-1'),
];

const RUNC: Corpus = {
  language: 'go',
  name: 'github.com/opencontainers/runc',
  origin: { kind: 'git', mirror: '/work/.mirror/opencontainers+runc/repo', commit: 'fba5a1ec2358e2523fec6f5ecdd4514dbdf2666c' },
};

/** npm packages that publish their TypeScript sources; the first is the CI-sized one. */
const TS_NPM: Corpus[] = [
  npm('pg-protocol', '1.16.1', ['src']),
  npm('immer', '10.1.1', ['src']),
  npm('rxjs', '7.8.2', ['src']),
  npm('zod', '4.6.7', ['src']),
  npm('ajv', '8.20.0', ['lib']),
];

const DIST_PACKAGES = '/usr/lib/python3/dist-packages';

function debianPython(pkg: string, version: string, entries: string[]): Corpus {
  return { language: 'python', name: `debian.org/${pkg}`, origin: { kind: 'debian-python', package: pkg, version, entries } };
}

/** Debian bookworm's pure-Python libraries; the first is the CI-sized one. */
const PY_DEBIAN: Corpus[] = [
  debianPython('python3-toml', '0.10.2-1', ['toml']),
  debianPython('python3-idna', '3.3-1+deb12u1', ['idna']),
  debianPython('python3-click', '8.1.3-2', ['click']),
  debianPython('python3-attr', '22.2.0-1', ['attr', 'attrs']),
  debianPython('python3-packaging', '23.0-1', ['packaging']),
  debianPython('python3-jinja2', '3.1.2-1+deb12u3', ['jinja2']),
  debianPython('python3-pyparsing', '3.0.9-1', ['pyparsing']),
  debianPython('python3-urllib3', '1.26.12-1+deb12u4', ['urllib3']),
  debianPython('python3-requests', '2.28.1+dfsg-1', ['requests']),
  debianPython('python3-chardet', '5.1.0+dfsg-2', ['chardet']),
];

/** Every corpus of the full run (`npm run accuracy`) of a language. */
export function fullCorpora(language: CorpusLanguage): Corpus[] {
  switch (language) {
    case 'go':
      return [...fixtures('go'), ...GO_DEBIAN, RUNC];
    case 'ts':
      return [...fixtures('ts'), ...TS_NPM];
    case 'python':
      return [...fixtures('python'), ...PY_DEBIAN];
  }
}

/** The CI-sized run inside `npm test`: the fixtures plus one small real corpus per language. */
export function ciCorpora(language: CorpusLanguage): Corpus[] {
  switch (language) {
    case 'go':
      return [...fixtures('go'), GO_DEBIAN[0]!];
    case 'ts':
      return [...fixtures('ts'), TS_NPM[0]!];
    case 'python':
      return [...fixtures('python'), PY_DEBIAN[0]!];
  }
}

function fixtures(language: CorpusLanguage): Corpus[] {
  const directory = join(REPOSITORY_ROOT, 'src', 'languages', FIXTURE_FOLDER[language], 'fixtures');
  if (!existsSync(directory)) return [];
  return readdirSync(directory)
    .filter((name) => statSync(join(directory, name)).isDirectory())
    .filter((name) => language !== 'go' || existsSync(join(directory, name, 'go.mod')))
    .sort()
    .map((name) => fixture(language, name));
}

/** Debian packages a set of corpora needs, for the message that says how to get them. */
export function debianPackages(corpora: Corpus[]): string[] {
  return corpora.flatMap((corpus) => (corpus.origin.kind === 'debian' || corpus.origin.kind === 'debian-python' ? [corpus.origin.package] : []));
}

export interface Materialized {
  /** The directory graphhub indexes and the oracle checks. */
  root: string;
  /** GOPATH entries the oracle resolves imports from. */
  gopath: string[];
  /** What exactly was measured: Debian version, commit, or "working tree". */
  version: string;
  /** Set when the corpus cannot be had here; the run skips it and says why. */
  missing?: string;
}

/**
 * Puts a corpus where the oracle can type-check it: Go in GOPATH mode needs
 * the code at $GOPATH/src/<import path>. Debian packages are there already;
 * a git commit or a fixture is copied under `workDir`.
 */
export function materialize(corpus: Corpus, workDir: string): Materialized {
  const gopath = join(workDir, 'gopath');
  const target = corpus.language === 'go' ? join(gopath, 'src', corpus.name) : join(workDir, 'corpus');
  switch (corpus.origin.kind) {
    case 'debian-python': {
      const version = installedVersion(corpus.origin.package);
      const sources = corpus.origin.entries.map((entry) => join(DIST_PACKAGES, entry));
      if (!version || sources.some((source) => !existsSync(source))) {
        return { root: target, gopath: [], version: '', missing: `Debian package ${corpus.origin.package} is not installed` };
      }
      mkdirSync(target, { recursive: true });
      // Only sources: Debian's byte-code caches are not the package's code.
      for (const source of sources) cpSync(source, join(target, basename(source)), { recursive: true, filter: (path) => !path.includes('__pycache__') });
      const flagged = version === corpus.origin.version ? version : `${version} (pinned ${corpus.origin.version})`;
      return { root: target, gopath: [], version: flagged };
    }
    case 'npm': {
      const fetched = fetchNpm(corpus.origin.package, corpus.origin.version, workDir);
      if (typeof fetched !== 'string') return { root: target, gopath: [], version: '', missing: fetched.missing };
      mkdirSync(target, { recursive: true });
      cpSync(join(fetched, 'package.json'), join(target, 'package.json'));
      for (const directory of corpus.origin.directories) {
        if (existsSync(join(fetched, directory))) cpSync(join(fetched, directory), join(target, directory), { recursive: true });
      }
      return { root: target, gopath: [], version: corpus.origin.version };
    }
    case 'debian': {
      const version = installedVersion(corpus.origin.package);
      if (!version || !existsSync(corpus.origin.path)) {
        return { root: corpus.origin.path, gopath: [], version: '', missing: `Debian package ${corpus.origin.package} is not installed` };
      }
      const flagged = version === corpus.origin.version ? version : `${version} (pinned ${corpus.origin.version})`;
      linkMajorVersionModules(gopath);
      return { root: corpus.origin.path, gopath: [gopath, '/usr/share/gocode'], version: flagged };
    }
    case 'git': {
      if (!existsSync(corpus.origin.mirror)) {
        return { root: target, gopath: [], version: '', missing: `git mirror ${corpus.origin.mirror} is not here` };
      }
      mkdirSync(target, { recursive: true });
      const archive = execFileSync('git', ['-C', corpus.origin.mirror, 'archive', '--format=tar', corpus.origin.commit], {
        maxBuffer: 1 << 30,
      });
      execFileSync('tar', ['-x', '-C', target], { input: archive });
      linkMajorVersionModules(gopath);
      return { root: target, gopath: [gopath, '/usr/share/gocode'], version: corpus.origin.commit };
    }
    case 'fixture': {
      mkdirSync(target, { recursive: true });
      cpSync(corpus.origin.path, target, { recursive: true });
      if (corpus.language !== 'go') return { root: target, gopath: [], version: 'working tree' };
      linkMajorVersionModules(gopath);
      return { root: target, gopath: [gopath, '/usr/share/gocode'], version: 'working tree' };
    }
  }
}

/**
 * Debian installs some modules whose path ends in a major version
 * (`github.com/go-git/go-git/v5`) without that last element. GOPATH mode
 * needs the code at its import path, so `gopath` gets a symbolic link there.
 */
function linkMajorVersionModules(gopath: string): void {
  if (!existsSync(GOCODE)) return;
  let listing: string;
  try {
    listing = execFileSync('find', [GOCODE, '-maxdepth', '4', '-name', 'go.mod'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  } catch {
    return;
  }
  for (const file of listing.split('\n').filter(Boolean)) {
    const directory = dirname(file);
    const module = /^module\s+(\S+)/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (!module || !/\/v\d+$/.test(module) || existsSync(join(GOCODE, module))) continue;
    if (relative(GOCODE, directory) !== module.replace(/\/v\d+$/, '')) continue;
    const link = join(gopath, 'src', module);
    if (existsSync(link)) continue;
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(directory, link);
  }
}

/**
 * An npm package at an exact version, unpacked: npm's own installed copy when
 * it is that version (what `npm install` put there from the lock file),
 * else `npm pack` from the registry. Returns its folder, or why not.
 */
function fetchNpm(pkg: string, version: string, workDir: string): string | { missing: string } {
  const installed = join(REPOSITORY_ROOT, 'node_modules', pkg);
  try {
    if ((JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version?: string }).version === version) return installed;
  } catch {
    // not installed here: fetch it
  }
  const unpacked = join(workDir, 'npm');
  mkdirSync(unpacked, { recursive: true });
  try {
    const tarball = execFileSync('npm', ['pack', `${pkg}@${version}`, '--silent', '--pack-destination', unpacked], { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] })
      .toString()
      .trim()
      .split('\n')
      .pop()!;
    execFileSync('tar', ['-xzf', join(unpacked, tarball), '-C', unpacked]);
    return join(unpacked, 'package');
  } catch (error) {
    return { missing: `npm pack ${pkg}@${version} failed: ${(error as Error).message.split('\n')[0]}` };
  }
}

function installedVersion(pkg: string): string | undefined {
  try {
    const out = execFileSync('dpkg-query', ['-W', '-f=${Status}\t${Version}', pkg], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const [status, version] = out.split('\t');
    return status?.endsWith('installed') && !status.includes('not-installed') ? version : undefined;
  } catch {
    return undefined;
  }
}

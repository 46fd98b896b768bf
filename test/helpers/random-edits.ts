/**
 * Random edits of a repository's source files, of the kinds that reach
 * across files: declarations renamed (in their file, or everywhere), files
 * deleted or copied into another package, calls added or removed, imports
 * dropped, a file replaced by a directory, a directory by a symbolic link
 * (to another directory, or out of the repository). Seeded, so a failing sequence can be replayed; each edit says
 * what it did, for the failure message.
 *
 * Edits are textual and may well leave a file that does not compile (or
 * parse): an incremental index must still equal a full one then.
 */
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, join, relative } from 'node:path';

/** A small, fast, seedable generator (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Dialect {
  /** Names declared at the start of a line: functions, methods, types, classes. */
  declaration: RegExp;
  /** A line that opens a function body, after which a statement can go. */
  bodyStart: RegExp;
  /** A statement calling `name`, indented like `next` (the body's first line). */
  call(name: string, next: string): string;
  importLine: RegExp;
}

const DIALECTS: Record<string, Dialect> = {
  go: {
    declaration: /^(?:func (?:\([^)]*\) )?|type )([A-Za-z_]\w*)/gm,
    bodyStart: /^func .*\{\s*$/,
    call: (name) => `\t${name}()`,
    importLine: /^\s*(?:import\s+)?(?:\w+\s+)?"[^"]+"\s*$/,
  },
  ts: {
    declaration: /^(?:export\s+)?(?:default\s+)?(?:async\s+)?(?:function\*?|class|interface|type|const|let)\s+([A-Za-z_$][\w$]*)|^\s+(?:public\s+|private\s+|protected\s+|static\s+|async\s+)*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*(?::[^{]*)?\{\s*$/gm,
    bodyStart: /(?:function\b.*|\)\s*(?::[^{=]*)?)\{\s*$/,
    call: (name, next) => `${indentOf(next) || '  '}${name}();`,
    importLine: /^import\s.*$|^const\s+\w+\s*=\s*require\(.*$/,
  },
  py: {
    declaration: /^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)/gm,
    bodyStart: /^\s*(?:async\s+)?def\s.*:\s*$/,
    call: (name, next) => `${indentOf(next) || '    '}${name}()`,
    importLine: /^(?:from\s+\S+\s+)?import\s.*$/,
  },
  rs: {
    declaration: /^\s*(?:pub(?:\([^)]*\))?\s+)?(?:fn|struct|enum|trait)\s+([A-Za-z_]\w*)/gm,
    bodyStart: /^\s*(?:pub(?:\([^)]*\))?\s+)?fn\s.*\{\s*$/,
    call: (name, next) => `${indentOf(next) || '    '}${name}();`,
    importLine: /^\s*use\s.*;\s*$/,
  },
};

const EXTENSIONS: Record<string, keyof typeof DIALECTS> = { '.go': 'go', '.ts': 'ts', '.tsx': 'ts', '.js': 'ts', '.mjs': 'ts', '.py': 'py', '.rs': 'rs' };

function indentOf(line: string): string {
  return /^\s*/.exec(line)![0];
}

function sourceFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (directory: string): void => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      if (entry.name === '.git' || entry.name === 'node_modules') continue;
      const full = join(directory, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && EXTENSIONS[extname(entry.name)] && statSync(full).size < 256 * 1024) out.push(relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

function declarationsIn(text: string, dialect: Dialect): string[] {
  const names = new Set<string>();
  for (const match of text.matchAll(dialect.declaration)) {
    const name = match[1] ?? match[2];
    if (name && !['main', 'init', 'constructor', 'if', 'for', 'while', 'switch', 'catch', 'function'].includes(name)) names.add(name);
  }
  return [...names];
}

const escape = (name: string): string => name.replace(/[$]/g, '\\$');

/** The kinds of edit; each returns what it did, or undefined when it found nothing to do in the file it drew. */
const EDITS: Array<(root: string, files: string[], pick: <T>(items: T[]) => T) => string | undefined> = [
  // A declaration renamed in its own file: callers elsewhere lose it.
  (root, files, pick) => {
    const file = pick(files);
    const dialect = DIALECTS[EXTENSIONS[extname(file)]!]!;
    const text = readFileSync(join(root, file), 'utf8');
    const names = declarationsIn(text, dialect);
    if (names.length === 0) return undefined;
    const name = pick(names);
    writeFileSync(join(root, file), text.replace(new RegExp(`\\b${escape(name)}\\b`, 'g'), `${name}Renamed`));
    return `renamed ${name} in ${file}`;
  },
  // A declaration renamed everywhere: every file that names it changes.
  (root, files, pick) => {
    const file = pick(files);
    const dialect = DIALECTS[EXTENSIONS[extname(file)]!]!;
    const names = declarationsIn(readFileSync(join(root, file), 'utf8'), dialect);
    if (names.length === 0) return undefined;
    const name = pick(names);
    const pattern = new RegExp(`\\b${escape(name)}\\b`, 'g');
    const touched: string[] = [];
    for (const other of files) {
      const text = readFileSync(join(root, other), 'utf8');
      const renamed = text.replace(pattern, `${name}Moved`);
      if (renamed !== text) {
        writeFileSync(join(root, other), renamed);
        touched.push(other);
      }
    }
    return `renamed ${name} everywhere (${touched.length} files)`;
  },
  // A file deleted (while a few are left to edit).
  (root, files, pick) => {
    if (files.length <= 4) return undefined;
    const file = pick(files);
    rmSync(join(root, file));
    return `deleted ${file}`;
  },
  // A file copied into another directory of its language (a Go file takes that package's name).
  (root, files, pick) => {
    const file = pick(files);
    const language = EXTENSIONS[extname(file)];
    const target = pick(files.filter((other) => EXTENSIONS[extname(other)] === language));
    const copy = join(dirname(target), `copied_${basename(file)}`);
    copyFileSync(join(root, file), join(root, copy));
    if (language === 'go') {
      const targetPackage = /^package\s+(\w+)/m.exec(readFileSync(join(root, target), 'utf8'))?.[1];
      if (targetPackage) writeFileSync(join(root, copy), readFileSync(join(root, copy), 'utf8').replace(/^package\s+\w+/m, `package ${targetPackage}`));
    }
    return `copied ${file} to ${copy}`;
  },
  // A call to a name declared in another file, added at the top of a function body.
  (root, files, pick) => {
    const file = pick(files);
    const dialect = DIALECTS[EXTENSIONS[extname(file)]!]!;
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    const bodies = lines.map((line, i) => (dialect.bodyStart.test(line) && i + 1 < lines.length ? i : -1)).filter((i) => i >= 0);
    const donor = pick(files.filter((other) => EXTENSIONS[extname(other)] === EXTENSIONS[extname(file)]));
    const names = declarationsIn(readFileSync(join(root, donor), 'utf8'), dialect);
    if (bodies.length === 0 || names.length === 0) return undefined;
    const at = pick(bodies);
    const name = pick(names);
    lines.splice(at + 1, 0, dialect.call(name, lines[at + 1]!));
    writeFileSync(join(root, file), lines.join('\n'));
    return `call to ${name} (from ${donor}) added in ${file}:${at + 2}`;
  },
  // A line with a call removed.
  (root, files, pick) => {
    const file = pick(files);
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    const calls = lines.map((line, i) => (/\w\(/.test(line) && !/^\s*(?:func|def|fn|function|class|export|pub|import|from|use)\b/.test(line) ? i : -1)).filter((i) => i >= 0);
    if (calls.length === 0) return undefined;
    const at = pick(calls);
    const removed = lines.splice(at, 1)[0]!;
    writeFileSync(join(root, file), lines.join('\n'));
    return `removed ${file}:${at + 1} ${removed.trim().slice(0, 60)}`;
  },
  // A file replaced by a directory of the same name holding it (a path that was a file is a directory now).
  (root, files, pick) => {
    if (files.length <= 4) return undefined;
    const file = pick(files);
    const text = readFileSync(join(root, file), 'utf8');
    rmSync(join(root, file));
    mkdirSync(join(root, file));
    writeFileSync(join(root, file, `inner${extname(file)}`), text);
    return `replaced ${file} by a directory holding it`;
  },
  // A directory replaced by a symbolic link to another one, or to somewhere outside the repository (never followed).
  (root, files, pick) => {
    const directories = [...new Set(files.map((file) => dirname(file)).filter((directory) => directory !== '.'))];
    if (directories.length === 0) return undefined;
    const directory = pick(directories);
    const inside = (path: string, parent: string): boolean => path === parent || path.startsWith(`${parent}/`);
    // Leave a few files to edit.
    if (files.filter((file) => !inside(file, directory)).length < 4) return undefined;
    const others = directories.filter((other) => !inside(other, directory) && !inside(directory, other));
    const target = pick([...others.map((other) => relative(dirname(join(root, directory)), join(root, other))), '/etc']);
    rmSync(join(root, directory), { recursive: true });
    symlinkSync(target, join(root, directory));
    return `replaced ${directory}/ by a link to ${target}`;
  },
  // Go: a method added to a struct the file declares, named like a declaration elsewhere (calls of that name,
  // and interfaces that have it, may now reach the type).
  (root, files, pick) => {
    const file = pick(files);
    if (extname(file) !== '.go') return undefined;
    const text = readFileSync(join(root, file), 'utf8');
    const types = [...text.matchAll(/^type ([A-Za-z_]\w*) struct/gm)].map((match) => match[1]!);
    const donor = pick(files.filter((other) => extname(other) === '.go'));
    const names = declarationsIn(readFileSync(join(root, donor), 'utf8'), DIALECTS.go!);
    if (types.length === 0 || names.length === 0) return undefined;
    const type = pick(types);
    const name = pick(names);
    if (text.includes(`) ${name}(`)) return undefined;
    writeFileSync(join(root, file), `${text}\nfunc (r *${type}) ${name}() {}\n`);
    return `method ${name} added to ${type} in ${file}`;
  },
  // Go: a function added, named like a call in another file (which may now resolve to it).
  (root, files, pick) => {
    const file = pick(files);
    if (extname(file) !== '.go') return undefined;
    const text = readFileSync(join(root, file), 'utf8');
    const donor = pick(files.filter((other) => extname(other) === '.go'));
    const called = [...readFileSync(join(root, donor), 'utf8').matchAll(/\b([A-Za-z_]\w*)\(/g)].map((match) => match[1]!);
    const names = called.filter((name) => !['func', 'if', 'for', 'switch', 'return', 'make', 'len', 'new', 'append', 'main', 'init'].includes(name));
    if (names.length === 0) return undefined;
    const name = pick(names);
    if (new RegExp(`^func ${name}\\(`, 'm').test(text)) return undefined;
    writeFileSync(join(root, file), `${text}\nfunc ${name}() int { return 0 }\n`);
    return `function ${name} (called in ${donor}) added to ${file}`;
  },
  // An import dropped.
  (root, files, pick) => {
    const file = pick(files);
    const dialect = DIALECTS[EXTENSIONS[extname(file)]!]!;
    const lines = readFileSync(join(root, file), 'utf8').split('\n');
    const imports = lines.map((line, i) => (dialect.importLine.test(line) ? i : -1)).filter((i) => i >= 0);
    if (imports.length === 0) return undefined;
    const at = pick(imports);
    const removed = lines.splice(at, 1)[0]!;
    writeFileSync(join(root, file), lines.join('\n'));
    return `dropped import ${file}:${at + 1} ${removed.trim().slice(0, 60)}`;
  },
];

/** Applies one random edit to the source files under `root`; returns what it did. */
export function randomEdit(root: string, random: () => number): string {
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  for (let attempt = 0; attempt < 50; attempt++) {
    const files = sourceFiles(root);
    if (files.length === 0) return 'nothing left to edit';
    const done = pick(EDITS)(root, files, pick);
    if (done) return done;
  }
  return 'no edit found';
}

#!/usr/bin/env node
// The parse floor of index-speed.bench.js: tree-sitter parsing every file of a
// directory that the indexer would parse, in one thread of a fresh process.
// Prints {ms (first pass, CPU), warmMs (best of two more), files, lines, bytes}.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(join(root, 'package.json'));
const Parser = require('tree-sitter');

/** The grammar the indexer parses a file with (TypeScript's for .ts, TSX's for JavaScript and .tsx), or none. */
function grammarFor(name) {
  if (name.endsWith('.go')) return ['tree-sitter-go'];
  if (/\.(ts|mts|cts)$/.test(name)) return ['tree-sitter-typescript', 'typescript'];
  if (/\.(tsx|js|jsx|mjs|cjs)$/.test(name) && !/\.min\.[cm]?js$/.test(name)) return ['tree-sitter-typescript', 'tsx'];
  if (name.endsWith('.py')) return ['tree-sitter-python'];
  return undefined;
}

/** Source files the indexer parses (it leaves files over 1 MiB unparsed), with their grammar. */
function sourceFiles(directory) {
  const out = [];
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory() && !['.git', 'node_modules', '__pycache__'].includes(entry.name)) walk(full);
      else if (entry.isFile() && grammarFor(entry.name) && statSync(full).size <= 1024 * 1024) out.push({ path: full, grammar: grammarFor(entry.name) });
    }
  };
  walk(directory);
  return out;
}

const parsers = new Map();
function parserFor([module, member]) {
  const key = `${module}/${member ?? ''}`;
  if (!parsers.has(key)) {
    const parser = new Parser();
    parser.setLanguage(member ? require(module)[member] : require(module));
    parsers.set(key, parser);
  }
  return parsers.get(key);
}

function cpuMs() {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

const files = sourceFiles(process.argv[2]).map((file) => ({ parser: parserFor(file.grammar), text: readFileSync(file.path, 'utf8') }));
const passes = [];
for (let pass = 0; pass < 3; pass++) {
  const started = cpuMs();
  for (const { parser, text } of files) parser.parse(text, undefined, { bufferSize: text.length * 2 + 1024 });
  passes.push(cpuMs() - started);
  // Trees are freed by finalisers, which run between turns of the event loop.
  await new Promise((resolve) => setImmediate(resolve));
}
const texts = files.map((file) => file.text);
console.log(
  JSON.stringify({
    ms: Math.round(passes[0]),
    warmMs: Math.round(Math.min(...passes.slice(1))),
    files: texts.length,
    lines: texts.reduce((n, t) => n + t.split('\n').length, 0),
    bytes: texts.reduce((n, t) => n + Buffer.byteLength(t), 0),
  }),
);

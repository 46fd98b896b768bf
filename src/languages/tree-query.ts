/**
 * tree-sitter's query language, the part our query files use, matched on a
 * compact tree (compact-tree.ts) in plain JavaScript: node patterns with
 * fields, `(_)`, alternations `[…]`, captures, and the #eq?/#match?/
 * #any-of? predicates (and their not- forms). Language support stays data —
 * the .scm files — while a query pass becomes a lookup per node instead of
 * tree-sitter's query engine plus a native node per capture.
 *
 * Matches come in the order tree-sitter finishes them (by the last node a
 * match uses, then where it starts, then the order the patterns are
 * written); captures in the order they are written. A child or field
 * pattern that matches several children gives one match per child, as in
 * tree-sitter; of an alternation, the first alternative that matches is
 * taken. Anything outside this subset is a compile error, so a query file
 * cannot silently mean something else.
 */
import type { CompactNode, CompactTree } from './compact-tree.js';

interface NodePattern {
  /** Node type, `_` for any named node, or undefined for an alternation. */
  type?: string;
  alternatives?: NodePattern[];
  fields: Array<{ field: string; pattern: NodePattern }>;
  /** Child patterns without a field: matched in order against named children. */
  children: NodePattern[];
  captures: string[];
}

interface Predicate {
  operator: 'eq' | 'match' | 'any-of';
  negated: boolean;
  capture: string;
  values: string[];
  regex?: RegExp;
}

interface Pattern {
  root: NodePattern;
  predicates: Predicate[];
  captureOrder: string[];
}

export interface QueryCapture {
  name: string;
  node: CompactNode;
}

export interface QueryMatch {
  pattern: number;
  captures: QueryCapture[];
}

export class TreeQuery {
  private readonly byType = new Map<string, number[]>();
  private readonly anyType: number[] = [];
  /**
   * Candidate patterns by type id, per grammar (its shared typeNames array
   * stands for it): every node of every tree is looked up, and an array
   * index is much cheaper than its type name and a map.
   */
  private readonly byTypeId = new WeakMap<readonly string[], { slots: Int32Array; lists: number[][] }>();

  constructor(private readonly patterns: Pattern[]) {
    patterns.forEach((pattern, index) => {
      const roots = rootTypes(pattern.root);
      if (!roots) this.anyType.push(index);
      else for (const type of roots) this.byType.set(type, [...(this.byType.get(type) ?? []), index]);
    });
  }

  matches(tree: CompactTree): QueryMatch[] {
    const found: Array<{ match: QueryMatch; root: number; last: number }> = [];
    const bound = new Map<string, CompactNode>();
    let table = this.byTypeId.get(tree.typeNames);
    // Per type id: 0 not yet looked at, -1 no pattern, else 1 + the index of its list in `lists`.
    if (!table) this.byTypeId.set(tree.typeNames, (table = { slots: new Int32Array(65536), lists: [] }));
    const { slots, lists } = table;
    const { types } = tree;
    for (let index = 0; index < tree.count; index++) {
      const id = types[index]!;
      let slot = slots[id]!;
      if (slot === 0) {
        const candidates = this.candidates(tree.typeName(index));
        slot = slots[id] = candidates.length === 0 ? -1 : lists.push(candidates);
      }
      if (slot < 0) continue;
      for (const patternIndex of lists[slot - 1]!) {
        const pattern = this.patterns[patternIndex]!;
        matchNode(tree, index, pattern.root, bound, index, (last) => {
          if (!pattern.predicates.every((predicate) => holds(predicate, bound))) return;
          const captures: QueryCapture[] = [];
          for (const name of pattern.captureOrder) {
            const node = bound.get(name);
            if (node) captures.push({ name, node });
          }
          found.push({ match: { pattern: patternIndex, captures }, root: index, last });
        });
        bound.clear();
      }
    }
    // tree-sitter hands out a match when its last node is reached: an inner `f(x)` in `f(x)(y)` comes first.
    found.sort((a, b) => a.last - b.last || a.root - b.root || a.match.pattern - b.match.pattern);
    return found.map((item) => item.match);
  }

  /** The patterns that may match a node of this type, in the order they are written. */
  private candidates(type: string): number[] {
    return [...(this.byType.get(type) ?? []), ...this.anyType].sort((a, b) => a - b);
  }
}

function rootTypes(pattern: NodePattern): string[] | undefined {
  if (pattern.alternatives) {
    const all: string[] = [];
    for (const alternative of pattern.alternatives) {
      const types = rootTypes(alternative);
      if (!types) return undefined;
      all.push(...types);
    }
    return all;
  }
  return pattern.type === '_' ? undefined : [pattern.type!];
}

/** Called once per way a pattern matches, with the preorder index of the last node that way used (its finishing point). */
type Continue = (last: number) => void;

/**
 * Matches a node against a pattern, calling `next` once for every way it
 * matches (as tree-sitter does: `(block (statement (x) @x))` matches once
 * per `x` child), with the captures of that way bound in `bound` for the
 * duration of the call. `bound` is left as it was found.
 */
function matchNode(tree: CompactTree, index: number, pattern: NodePattern, bound: Map<string, CompactNode>, last: number, next: Continue): void {
  if (pattern.alternatives) {
    // The first alternative that matches is taken: alternatives name different node types in our queries.
    for (const alternative of pattern.alternatives) {
      let matched = false;
      matchNode(tree, index, alternative, bound, last, (end) => {
        matched = true;
        withCaptures(tree, index, pattern.captures, bound, () => next(end));
      });
      if (matched) return;
    }
    return;
  }
  if (pattern.type === '_' ? !tree.isNamed(index) : tree.typeName(index) !== pattern.type) return;
  const end = Math.max(last, index);
  if (pattern.fields.length === 0 && pattern.children.length === 0) {
    withCaptures(tree, index, pattern.captures, bound, () => next(end));
    return;
  }
  matchFields(tree, index, pattern, 0, bound, end, (fieldsEnd) =>
    matchChildren(tree, index, pattern, 0, index + 1, bound, fieldsEnd, (childrenEnd) => withCaptures(tree, index, pattern.captures, bound, () => next(childrenEnd))),
  );
}

/** Field patterns from `position` on, each against every child with that field. */
function matchFields(tree: CompactTree, index: number, pattern: NodePattern, position: number, bound: Map<string, CompactNode>, last: number, next: Continue): void {
  if (position === pattern.fields.length) return next(last);
  const { field, pattern: child } = pattern.fields[position]!;
  const id = tree.fieldId(field);
  if (id === 0) return;
  const { after, fields } = tree;
  for (let at = index + 1; at < after[index]!; at = after[at]!) {
    if (fields[at] === id && mayMatch(tree, at, child)) matchNode(tree, at, child, bound, last, (end) => matchFields(tree, index, pattern, position + 1, bound, end, next));
  }
}

/** Child patterns from `position` on, in order, each against every named child from `from` on. */
function matchChildren(tree: CompactTree, index: number, pattern: NodePattern, position: number, from: number, bound: Map<string, CompactNode>, last: number, next: Continue): void {
  if (position === pattern.children.length) return next(last);
  const child = pattern.children[position]!;
  const { after } = tree;
  for (let at = from; at < after[index]!; at = after[at]!) {
    if (tree.isNamed(at) && mayMatch(tree, at, child)) matchNode(tree, at, child, bound, last, (end) => matchChildren(tree, index, pattern, position + 1, after[at]!, bound, end, next));
  }
}

/**
 * Whether a node can match a pattern at all, by its type: checked before a
 * child is tried, because trying one makes a continuation for it (most
 * children of most nodes are not what a pattern asks for).
 */
function mayMatch(tree: CompactTree, index: number, pattern: NodePattern): boolean {
  return pattern.type === undefined || (pattern.type === '_' ? tree.isNamed(index) : tree.typeName(index) === pattern.type);
}

/** Binds `names` to the node while `next` runs, then restores what they were bound to. */
function withCaptures(tree: CompactTree, index: number, names: string[], bound: Map<string, CompactNode>, next: () => void): void {
  if (names.length === 0) return next();
  if (names.length === 1) {
    const name = names[0]!;
    const previous = bound.get(name);
    bound.set(name, tree.node(index));
    next();
    if (previous) bound.set(name, previous);
    else bound.delete(name);
    return;
  }
  const saved = names.map((name) => bound.get(name));
  const node = tree.node(index);
  for (const name of names) bound.set(name, node);
  next();
  names.forEach((name, position) => {
    const previous = saved[position];
    if (previous) bound.set(name, previous);
    else bound.delete(name);
  });
}

function holds(predicate: Predicate, bound: Map<string, CompactNode>): boolean {
  const node = bound.get(predicate.capture);
  // As in tree-sitter: a predicate about a capture that did not happen holds.
  if (!node) return true;
  const text = node.text;
  let result: boolean;
  switch (predicate.operator) {
    case 'eq':
      result = text === predicate.values[0];
      break;
    case 'match':
      result = predicate.regex!.test(text);
      break;
    case 'any-of':
      result = predicate.values.includes(text);
      break;
  }
  return predicate.negated ? !result : result;
}

/** Compiles query text (the subset described above); throws on anything else, naming what and where. */
export function compileQuery(source: string): TreeQuery {
  const tokens = tokenize(source);
  let position = 0;
  const peek = (): string | undefined => tokens[position];
  const next = (): string => {
    const token = tokens[position++];
    if (token === undefined) throw new Error('query: unexpected end');
    return token;
  };
  const expect = (token: string): void => {
    const found = next();
    if (found !== token) throw new Error(`query: expected ${token}, found ${found}`);
  };
  const captures = (order: string[]): string[] => {
    const names: string[] = [];
    while (peek()?.startsWith('@')) {
      const name = next().slice(1);
      names.push(name);
      order.push(name);
    }
    return names;
  };

  const nodePattern = (order: string[], predicates: Predicate[]): NodePattern => {
    const token = next();
    if (token === '[') {
      const alternatives: NodePattern[] = [];
      while (peek() !== ']') alternatives.push(nodePattern(order, predicates));
      expect(']');
      return { alternatives, fields: [], children: [], captures: captures(order) };
    }
    if (token !== '(') throw new Error(`query: expected ( or [, found ${token}`);
    const type = next();
    if (!/^[A-Za-z_][\w]*$/.test(type)) throw new Error(`query: unsupported node pattern ${type}`);
    const pattern: NodePattern = { type, fields: [], children: [], captures: [] };
    while (peek() !== ')') {
      const item = peek()!;
      if (item === '(' && tokens[position + 1]?.startsWith('#')) {
        predicates.push(predicate());
      } else if (item.endsWith(':')) {
        next();
        pattern.fields.push({ field: item.slice(0, -1), pattern: nodePattern(order, predicates) });
      } else {
        pattern.children.push(nodePattern(order, predicates));
      }
    }
    expect(')');
    pattern.captures = captures(order);
    return pattern;
  };

  const predicate = (): Predicate => {
    expect('(');
    const name = next();
    const parsed = /^#(not-)?(eq|match|any-of)\?$/.exec(name);
    if (!parsed) throw new Error(`query: unsupported predicate ${name}`);
    const capture = next();
    if (!capture.startsWith('@')) throw new Error(`query: ${name} wants a capture first, found ${capture}`);
    const values: string[] = [];
    while (peek() !== ')') {
      const value = next();
      if (!value.startsWith('"')) throw new Error(`query: ${name} wants string arguments, found ${value}`);
      values.push(JSON.parse(value) as string);
    }
    expect(')');
    const result: Predicate = { operator: parsed[2] as Predicate['operator'], negated: Boolean(parsed[1]), capture: capture.slice(1), values };
    if (result.operator === 'match') result.regex = new RegExp(values[0] ?? '');
    return result;
  };

  const patterns: Pattern[] = [];
  while (position < tokens.length) {
    const order: string[] = [];
    const predicates: Predicate[] = [];
    let root: NodePattern;
    // `((pattern) (#predicate …))`: a pattern grouped with its predicates.
    if (peek() === '(' && tokens[position + 1] === '(') {
      next();
      root = nodePattern(order, predicates);
      while (peek() === '(') predicates.push(predicate());
      expect(')');
      const outer = captures(order);
      if (outer.length > 0) root.captures.push(...outer);
    } else {
      root = nodePattern(order, predicates);
    }
    patterns.push({ root, predicates, captureOrder: [...new Set(order)] });
  }
  return new TreeQuery(patterns);
}

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  const pattern = /\s+|;[^\n]*|"(?:[^"\\]|\\.)*"|[()[\]]|[^\s()[\]";]+/y;
  let position = 0;
  while (position < source.length) {
    pattern.lastIndex = position;
    const match = pattern.exec(source);
    if (!match) throw new Error(`query: cannot read ${source.slice(position, position + 20)}`);
    position = pattern.lastIndex;
    const token = match[0];
    if (!/^\s/.test(token) && !token.startsWith(';')) tokens.push(token);
  }
  return tokens;
}

/**
 * A compact copy of a tree-sitter tree, made in one cursor walk: node types,
 * offsets, fields and nesting in typed arrays, with light node objects over
 * them that offer the part of tree-sitter's SyntaxNode API the extractors
 * use (type, text, fields, children, parent, positions).
 *
 * Why: every SyntaxNode of the native binding is a call across the N-API
 * boundary plus an object the binding tracks with a weak reference and a
 * finaliser; reading a file's nodes that way cost several times the parse
 * itself. A cursor walk costs a few native calls per node, and everything
 * after it is plain JavaScript. Punctuation is not copied (no extractor
 * reads it), nor are the insides of nodes with no named children (by the
 * grammar's node-types.json), nor those of nodes the language marks opaque
 * — string literals with nothing to interpret, the parts of types no
 * resolver looks into.
 */
import type { Grammar, Tree } from './tree-sitter.js';

/** What the walk learns about a grammar's node types and fields, shared by every tree of that grammar. */
export interface Vocabulary {
  typeNames: string[];
  /** Per type id: 1 named, 0 anonymous word (`static`, `get`), -1 punctuation (not copied). */
  kinds: number[];
  /** Per type id: LEAF, FIELDS, both or neither (see shapeOf). */
  shapes: number[];
  fieldNames: string[];
  fieldIds: Map<string, number>;
  /** Named node types by name: their fields and named children, from the grammar's node-types.json. */
  info: Map<string, Grammar['nodeTypeInfo'][number]>;
}

/** Nothing under the node is copied: it has no named children (only tokens no extractor reads). */
export const LEAF = 1;
/** Its children may carry field names. */
export const FIELDS = 2;

const vocabularies = new WeakMap<Grammar, Vocabulary>();

export function vocabularyOf(grammar: Grammar): Vocabulary {
  let vocabulary = vocabularies.get(grammar);
  if (!vocabulary) {
    const info = new Map((grammar.nodeTypeInfo ?? []).filter((entry) => entry.named).map((entry) => [entry.type, entry] as const));
    vocabulary = { typeNames: [], kinds: [], shapes: [], fieldNames: [], fieldIds: new Map(), info };
    vocabularies.set(grammar, vocabulary);
  }
  return vocabulary;
}

/** Whether a named type can hold named children and fields; a type the grammar does not describe (ERROR) may hold anything. */
export function shapeOf(vocabulary: Vocabulary, name: string, named: boolean): number {
  if (!named) return LEAF;
  const entry = vocabulary.info.get(name);
  if (!entry || 'subtypes' in entry) return FIELDS;
  const hasFields = entry.fields !== undefined && Object.keys(entry.fields).length > 0;
  const hasChildren = entry.children !== undefined && entry.children !== null && (entry.children as { types?: unknown[] }).types !== undefined;
  return (hasFields ? FIELDS : 0) | (!hasFields && !hasChildren ? LEAF : 0);
}

export interface CompactOptions {
  /** Node types whose children need not be copied: their text is all an extractor reads of them. */
  opaqueTypes?: ReadonlySet<string>;
  /** Node types whose insides are skipped when a test of the node's text says so (`"plain"` versus `"with \\escapes"`). */
  opaqueWhen?: ReadonlyMap<string, (text: string, start: number, end: number) => boolean>;
}

export interface Point {
  row: number;
  column: number;
}

/** The arrays of a compact tree, one entry per copied node in preorder. */
export interface Columns {
  types: Uint16Array;
  starts: Uint32Array;
  ends: Uint32Array;
  fields: Uint16Array;
  parents: Int32Array;
  /** Index just past a node's last descendant: its next sibling, if it has one. */
  after: Int32Array;
  /** The previous copied sibling, or -1. */
  before: Int32Array;
}

function allocate(capacity: number): Columns {
  return {
    types: new Uint16Array(capacity),
    starts: new Uint32Array(capacity),
    ends: new Uint32Array(capacity),
    fields: new Uint16Array(capacity),
    parents: new Int32Array(capacity),
    after: new Int32Array(capacity),
    before: new Int32Array(capacity),
  };
}

function grow(columns: Columns, count: number): Columns {
  const larger = allocate(Math.ceil(count * 1.5) + 1024);
  for (const key of Object.keys(columns) as Array<keyof Columns>) larger[key].set(columns[key].subarray(0, count) as never);
  return larger;
}

export class CompactTree {
  readonly types: Uint16Array;
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly fields: Uint16Array;
  readonly parents: Int32Array;
  readonly after: Int32Array;
  readonly before: Int32Array;
  /** Node objects made so far, by preorder index: few nodes are ever looked at as objects. */
  private readonly nodes: Array<CompactNode | undefined>;
  private lineStarts: number[] | undefined;

  constructor(
    readonly text: string,
    private readonly vocabulary: Vocabulary,
    columns: Columns,
    readonly count: number,
  ) {
    ({ types: this.types, starts: this.starts, ends: this.ends, fields: this.fields, parents: this.parents, after: this.after, before: this.before } = columns);
    this.nodes = new Array<CompactNode | undefined>(count);
  }

  get rootNode(): CompactNode {
    return this.node(0);
  }

  /** The node at a preorder index; one object per node, so nodes compare with `===`. */
  node(index: number): CompactNode {
    let node = this.nodes[index];
    if (!node) this.nodes[index] = node = new CompactNode(this, index);
    return node;
  }

  typeName(index: number): string {
    return this.vocabulary.typeNames[this.types[index]!]!;
  }

  /** The grammar's type names by type id (types[index] is an id), shared by every tree of the grammar. */
  get typeNames(): readonly string[] {
    return this.vocabulary.typeNames;
  }

  isNamed(index: number): boolean {
    return this.vocabulary.kinds[this.types[index]!] === 1;
  }

  /** The field name a node has in its parent, or null. */
  fieldName(index: number): string | null {
    const field = this.fields[index]!;
    return field === 0 ? null : (this.vocabulary.fieldNames[field] ?? null);
  }

  /** The field id of a name in this grammar; 0 when no copied node has ever had that field. */
  fieldId(name: string): number {
    return this.vocabulary.fieldIds.get(name) ?? 0;
  }

  /** Row and column (UTF-16 units, as the binding reports them) of an offset. */
  pointAt(offset: number): Point {
    const starts = (this.lineStarts ??= lineStartsOf(this.text));
    let low = 0;
    let high = starts.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >> 1;
      if (starts[middle]! <= offset) low = middle;
      else high = middle - 1;
    }
    return { row: low, column: offset - starts[low]! };
  }
}

function lineStartsOf(text: string): number[] {
  const starts = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  return starts;
}

export class CompactNode {
  constructor(
    readonly tree: CompactTree,
    readonly index: number,
  ) {}

  get type(): string {
    return this.tree.typeName(this.index);
  }

  get isNamed(): boolean {
    return this.tree.isNamed(this.index);
  }

  get startIndex(): number {
    return this.tree.starts[this.index]!;
  }

  get endIndex(): number {
    return this.tree.ends[this.index]!;
  }

  get text(): string {
    return this.tree.text.slice(this.tree.starts[this.index]!, this.tree.ends[this.index]!);
  }

  get startPosition(): Point {
    return this.tree.pointAt(this.startIndex);
  }

  get endPosition(): Point {
    return this.tree.pointAt(this.endIndex);
  }

  get parent(): CompactNode | null {
    const parent = this.tree.parents[this.index]!;
    return parent < 0 ? null : this.tree.node(parent);
  }

  get children(): CompactNode[] {
    const out: CompactNode[] = [];
    const { after } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) out.push(this.tree.node(child));
    return out;
  }

  get namedChildren(): CompactNode[] {
    const out: CompactNode[] = [];
    const { after } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) {
      if (this.tree.isNamed(child)) out.push(this.tree.node(child));
    }
    return out;
  }

  get namedChildCount(): number {
    let count = 0;
    const { after } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) if (this.tree.isNamed(child)) count++;
    return count;
  }

  namedChild(position: number): CompactNode | null {
    let seen = 0;
    const { after } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) {
      if (!this.tree.isNamed(child)) continue;
      if (seen === position) return this.tree.node(child);
      seen++;
    }
    return null;
  }

  childForFieldName(name: string): CompactNode | null {
    const field = this.tree.fieldId(name);
    if (field === 0) return null;
    const { after, fields } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) {
      if (fields[child] === field) return this.tree.node(child);
    }
    return null;
  }

  childrenForFieldName(name: string): CompactNode[] {
    const field = this.tree.fieldId(name);
    const out: CompactNode[] = [];
    if (field === 0) return out;
    const { after, fields } = this.tree;
    for (let child = this.index + 1; child < after[this.index]!; child = after[child]!) {
      if (fields[child] === field) out.push(this.tree.node(child));
    }
    return out;
  }

  /** The previous copied sibling (named, or an anonymous word such as `type`); punctuation is not copied, so it is skipped. */
  get previousSibling(): CompactNode | null {
    const previous = this.tree.before[this.index]!;
    return previous < 0 ? null : this.tree.node(previous);
  }

  get previousNamedSibling(): CompactNode | null {
    const { before } = this.tree;
    let previous = before[this.index]!;
    while (previous >= 0 && !this.tree.isNamed(previous)) previous = before[previous]!;
    return previous < 0 ? null : this.tree.node(previous);
  }
}

/** Copies a parsed tree of `text` (see the file comment). */
export function compactTree(tree: Tree, text: string, grammar: Grammar, options: CompactOptions = {}): CompactTree {
  const vocabulary = vocabularyOf(grammar);
  const { typeNames, kinds, shapes, fieldNames, fieldIds } = vocabulary;
  const opaqueTypes = options.opaqueTypes;
  const opaqueWhen = options.opaqueWhen;
  // About half the nodes are punctuation or inside skipped nodes; the columns grow if that guess is short.
  let columns = allocate(Math.ceil(tree.rootNode.descendantCount * 0.75) + 16);
  // A tree with syntax errors is copied whole: error recovery can put an ERROR node (and calls) anywhere.
  const skipInsides = !tree.rootNode.hasError;
  const cursor = tree.walk();
  /** Ancestors we descended into, and the last child copied at each level. */
  const stack: number[] = [];
  const lastChild: number[] = [-1];
  let count = 0;
  for (;;) {
    const type = cursor.nodeTypeId;
    let kind = kinds[type];
    // The native export (native-tree.ts) may have filled the kinds of every type, but not their shapes.
    if (kind === undefined || shapes[type] === undefined) {
      const name = cursor.nodeType;
      const named = cursor.nodeIsNamed;
      typeNames[type] = name;
      kind = kinds[type] = named ? 1 : /\w/.test(name) ? 0 : -1;
      shapes[type] = shapeOf(vocabulary, name, named) | (opaqueTypes?.has(name) ? LEAF : 0);
    }
    let descend = false;
    if (kind >= 0) {
      if (count === columns.types.length) columns = grow(columns, count);
      const index = count++;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      columns.types[index] = type;
      columns.starts[index] = start;
      columns.ends[index] = end;
      const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
      columns.parents[index] = parent;
      columns.before[index] = lastChild[lastChild.length - 1]!;
      lastChild[lastChild.length - 1] = index;
      // Only children of a type with fields can have one: most nodes spare the call.
      const field = parent >= 0 && (shapes[columns.types[parent]!]! & FIELDS) !== 0 ? (cursor.currentFieldId as number | undefined) : undefined;
      if (field !== undefined) {
        columns.fields[index] = field;
        if (fieldNames[field] === undefined) {
          const name = cursor.currentFieldName as string;
          fieldNames[field] = name;
          fieldIds.set(name, field);
        }
      }
      descend = kind === 1 && (!skipInsides || (shapes[type]! & LEAF) === 0) && !(skipInsides && opaqueWhen?.get(typeNames[type]!)?.(text, start, end)) && cursor.gotoFirstChild();
      if (descend) {
        stack.push(index);
        lastChild.push(-1);
      } else {
        columns.after[index] = count;
      }
    }
    if (descend) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return new CompactTree(text, vocabulary, columns, count);
      columns.after[stack.pop()!] = count;
      lastChild.pop();
    }
  }
}

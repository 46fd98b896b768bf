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
interface Vocabulary {
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
const LEAF = 1;
/** Its children may carry field names. */
const FIELDS = 2;

const vocabularies = new WeakMap<Grammar, Vocabulary>();

function vocabularyOf(grammar: Grammar): Vocabulary {
  let vocabulary = vocabularies.get(grammar);
  if (!vocabulary) {
    const info = new Map((grammar.nodeTypeInfo ?? []).filter((entry) => entry.named).map((entry) => [entry.type, entry] as const));
    vocabulary = { typeNames: [], kinds: [], shapes: [], fieldNames: [], fieldIds: new Map(), info };
    vocabularies.set(grammar, vocabulary);
  }
  return vocabulary;
}

/** Whether a named type can hold named children and fields; a type the grammar does not describe (ERROR) may hold anything. */
function shapeOf(vocabulary: Vocabulary, name: string, named: boolean): number {
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
  /** The same decided per node, from its text (`"plain"` versus `"with \\escapes"`). */
  opaque?: (type: string, text: string, start: number, end: number) => boolean;
}

export interface Point {
  row: number;
  column: number;
}

export class CompactTree {
  readonly count: number;
  private readonly nodes: Array<CompactNode | undefined>;
  private lineStarts: number[] | undefined;

  constructor(
    readonly text: string,
    private readonly vocabulary: Vocabulary,
    readonly types: Uint16Array,
    readonly starts: Uint32Array,
    readonly ends: Uint32Array,
    readonly fields: Uint16Array,
    readonly parents: Int32Array,
    /** Index just past a node's last descendant: its next sibling, if it has one. */
    readonly after: Int32Array,
    count: number,
  ) {
    this.count = count;
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

  isNamed(index: number): boolean {
    return this.vocabulary.kinds[this.types[index]!] === 1;
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

  get previousNamedSibling(): CompactNode | null {
    const parent = this.tree.parents[this.index]!;
    if (parent < 0) return null;
    let previous: number | undefined;
    const { after } = this.tree;
    for (let child = parent + 1; child < this.index; child = after[child]!) if (this.tree.isNamed(child)) previous = child;
    return previous === undefined ? null : this.tree.node(previous);
  }
}

/** Copies a parsed tree of `text` (see the file comment). */
export function compactTree(tree: Tree, text: string, grammar: Grammar, options: CompactOptions = {}): CompactTree {
  const vocabulary = vocabularyOf(grammar);
  const { typeNames, kinds, shapes, fieldNames, fieldIds } = vocabulary;
  const opaqueTypes = options.opaqueTypes;
  const capacity = tree.rootNode.descendantCount;
  const types = new Uint16Array(capacity);
  const starts = new Uint32Array(capacity);
  const ends = new Uint32Array(capacity);
  const fields = new Uint16Array(capacity);
  const parents = new Int32Array(capacity);
  const after = new Int32Array(capacity);
  // A tree with syntax errors is copied whole: error recovery can put an ERROR node (and calls) anywhere.
  const skipInsides = !tree.rootNode.hasError;
  const opaque = skipInsides ? options.opaque : undefined;
  const cursor = tree.walk();
  const stack: number[] = [];
  let count = 0;
  for (;;) {
    const type = cursor.nodeTypeId;
    let kind = kinds[type];
    if (kind === undefined) {
      const name = cursor.nodeType;
      const named = cursor.nodeIsNamed;
      typeNames[type] = name;
      kind = kinds[type] = named ? 1 : /\w/.test(name) ? 0 : -1;
      shapes[type] = shapeOf(vocabulary, name, named) | (opaqueTypes?.has(name) ? LEAF : 0);
    }
    let descend = false;
    if (kind >= 0) {
      const index = count++;
      const start = cursor.startIndex;
      const end = cursor.endIndex;
      types[index] = type;
      starts[index] = start;
      ends[index] = end;
      const parent = stack.length > 0 ? stack[stack.length - 1]! : -1;
      parents[index] = parent;
      // Only children of a type with fields can have one: most nodes spare the call.
      const field = parent >= 0 && (shapes[types[parent]!]! & FIELDS) !== 0 ? (cursor.currentFieldId as number | undefined) : undefined;
      if (field !== undefined) {
        fields[index] = field;
        if (fieldNames[field] === undefined) {
          const name = cursor.currentFieldName as string;
          fieldNames[field] = name;
          fieldIds.set(name, field);
        }
      }
      descend = (kind === 1 || !skipInsides) && (!skipInsides || (shapes[type]! & LEAF) === 0) && !(opaque && opaque(typeNames[type]!, text, start, end)) && cursor.gotoFirstChild();
      if (descend) stack.push(index);
      else after[index] = count;
    }
    if (descend) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) return new CompactTree(text, vocabulary, types, starts, ends, fields, parents, after, count);
      after[stack.pop()!] = count;
    }
  }
}

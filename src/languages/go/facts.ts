/**
 * The facts the Go extractor keeps for one file. They hold names and shapes,
 * never resolved targets: what `cli.Context` means depends on the file's
 * imports and the repository around it, which only the resolver sees.
 *
 * Offsets (`at`, `scope`) are character offsets into the file's text, used
 * only to order and nest things inside that file.
 */
import type { Range } from '../../model/graph.js';

/** A type as written. `pkg` is the import alias used as qualifier (`cli` in `cli.Context`). */
export type TypeExpr =
  | { k: 'named'; name: string; pkg?: string }
  | { k: 'ptr'; elem: TypeExpr }
  | { k: 'slice'; elem: TypeExpr }
  | { k: 'map'; key: TypeExpr; value: TypeExpr }
  | { k: 'chan'; elem: TypeExpr }
  | { k: 'func'; results: TypeExpr[] }
  | { k: 'struct'; fields: GoField[] }
  | { k: 'interface' }
  | { k: 'other' };

/** An expression as far as typing a receiver needs it. */
export type Expr =
  | { k: 'id'; name: string }
  | { k: 'sel'; x: Expr; name: string }
  | { k: 'call'; fn: Expr }
  | { k: 'lit'; type: TypeExpr }
  | { k: 'new'; type: TypeExpr }
  | { k: 'addr'; x: Expr }
  | { k: 'deref'; x: Expr }
  /** `<-ch`: a value received from a channel. */
  | { k: 'recv'; x: Expr }
  | { k: 'index'; x: Expr }
  | { k: 'assert'; type: TypeExpr }
  | { k: 'conv'; type: TypeExpr }
  | { k: 'funclit'; results: TypeExpr[] }
  | { k: 'rangeKey'; x: Expr }
  | { k: 'rangeValue'; x: Expr }
  | { k: 'other' };

export interface GoField {
  /** Empty for an embedded field; its name is then the type's name. */
  name: string;
  type: TypeExpr;
  embedded: boolean;
}

/** A parameter's type, as far as matching a method against an interface method needs it. */
export interface GoParam {
  type: TypeExpr;
  /** `...T`; its type is then `[]T`. */
  variadic?: boolean;
}

export interface GoInterfaceMethod {
  name: string;
  params: GoParam[];
  results: TypeExpr[];
  range: Range;
  signature: string;
}

interface GoDeclBase {
  name: string;
  range: Range;
  nameLine: number;
  nameCol: number;
  /** Character offsets of the whole declaration, to find the owner of a call. */
  start: number;
  end: number;
}

export interface GoFuncDecl extends GoDeclBase {
  kind: 'function' | 'method';
  /** Type parameters, parameters and results as written. */
  signature: string;
  results: TypeExpr[];
  /** Methods only: parameter types, to match the method against interface methods. */
  params?: GoParam[];
  receiver?: { type: string; pointer: boolean; name: string };
}

export interface GoTypeDecl extends GoDeclBase {
  kind: 'struct' | 'interface' | 'type';
  signature: string;
  fields: GoField[];
  /** Interface methods. */
  methods: GoInterfaceMethod[];
  /** Embedded interfaces. */
  embeds: TypeExpr[];
  /** For `type T U` and `type T = U`: U. */
  underlying?: TypeExpr;
  alias: boolean;
}

export type GoDecl = GoFuncDecl | GoTypeDecl;

/**
 * What the package index needs of a declaration to place and name it: kind,
 * name, a method's receiver, an interface's method names. The declarations
 * themselves (signatures, fields, parameter and result types, ranges) are a
 * local fact, read back when a resolution looks inside one (decl-cache.ts),
 * so a large repository's declarations need not all be in memory at once.
 */
export interface GoDeclHead {
  kind: GoDecl['kind'];
  name: string;
  /** Methods: the receiver's type name. */
  receiver?: string;
  /** Methods: whether the receiver is a pointer. */
  pointer?: true;
  /** Interfaces: their methods' names, in order. */
  methods?: string[];
  /** `type T = U`: comparing types asks this of every named type it meets. */
  alias?: true;
  /** Methods: how many parameters and results, which rule out most candidates for an interface method unread. */
  params?: number;
  results?: number;
}

export interface GoImport {
  path: string;
  /** Explicit name: an alias, "." or "_". */
  alias?: string;
  line: number;
}

/** A name bound in a scope: a parameter, receiver, `:=`, `var` or range variable. */
export interface GoBinding {
  name: string;
  /** Character offset of the declaration; a use before it does not see it. */
  at: number;
  /** Character offsets [start, end) where the binding is visible. */
  scope: [number, number];
  type?: TypeExpr;
  value?: Expr;
  /** Position of this name in a multi-value assignment `a, b := f()`. */
  index?: number;
  /** Where `value` is evaluated when not at scope[0]: a type switch's operand, outside its cases. */
  evalAt?: number;
}

/** A package-level var or const. */
export interface GoPackageVar {
  name: string;
  type?: TypeExpr;
  value?: Expr;
  index?: number;
}

export interface GoCall {
  /** Index into `decls` of the enclosing named function or method; -1 for package-level code. */
  owner: number;
  fn: Expr;
  line: number;
  col: number;
  at: number;
  /** The first arguments of `x.Run(…)` calls only: how suites and subtests are found. */
  args?: Expr[];
}

/** `t.Run("name", func(t *testing.T) {…})` inside a function: calls in the literal belong to the subtest. */
export interface GoSubtest {
  owner: number;
  name: string;
  start: number;
  end: number;
  range: Range;
  line: number;
  col: number;
}

export interface GoFileFacts {
  package: string;
  /** The `//go:build` expression, when present. */
  buildConstraint?: string;
  /**
   * Where the package doc comment says this code was copied from ("It is a
   * partial copy of https://github.com/coreos/go-systemd/v22/activation"), as
   * an import path: such a package belongs to that module, like vendored code.
   */
  copiedFrom?: string;
  imports: GoImport[];
  /** One head per decl, in the same order (see GoDeclHead). */
  heads: GoDeclHead[];
  decls: GoDecl[];
  /**
   * The doc comment of each decl, by index into decls. Apart from the decls
   * because only symbol records read them: a local fact (see go/index.ts).
   */
  docs: string[];
  vars: GoPackageVar[];
  bindings: GoBinding[];
  calls: GoCall[];
  /**
   * The names this file's calls select (`x.Get()`, `a.b.C()`: Get, b, C),
   * sorted. The incremental rule asks of every file whether it calls a
   * method name that changed; this answers without the calls, which are a
   * local fact.
   */
  selectors: string[];
  subtests: GoSubtest[];
  lines: number;
}

/**
 * The facts the TypeScript/JavaScript extractor keeps for one file. They
 * hold names and shapes as written, never resolved targets: what `./util`
 * or `Base` means depends on the repository around the file, which only the
 * resolver sees.
 *
 * Offsets (`at`, `start`, `end`, `scope`) are character offsets into the
 * file's text, used only to nest and order things inside that file.
 */
import type { FactRange } from '../syntax-helpers.js';

/** A type as written, reduced to the one named type that can carry methods: `ns.Client` → {name: Client, qualifier: [ns]}. */
export interface TypeRef {
  name: string;
  qualifier?: string[];
}

/** An expression, as far as finding what a call calls needs it. */
export type Expr =
  | { k: 'id'; name: string }
  | { k: 'member'; x: Expr; name: string }
  | { k: 'this' }
  | { k: 'super' }
  | { k: 'new'; callee: Expr }
  | { k: 'call'; fn: Expr }
  | { k: 'cast'; type: TypeRef }
  /** `require('x')` and `import('x')`: the module itself. */
  | { k: 'require'; source: string }
  | { k: 'func' }
  /**
   * An untyped parameter of a function passed to a call: the `param`-th
   * parameter of the `arg`-th argument of `fn(…)` (`new fn(…)` when `isNew`),
   * typed by the callee's declared callback type (`operate((source, subscriber) => …)`).
   */
  | { k: 'arg'; fn: Expr; isNew?: boolean; arg: number; param: number }
  /** A literal of a built-in type: string, number, array, regular expression, boolean. */
  | { k: 'builtin' }
  /** `obj[key]`: which member is computed at run time. */
  | { k: 'dynamic'; x: Expr }
  | { k: 'other' };

export type TsDeclKind =
  | 'function'
  | 'method'
  | 'class'
  | 'interface'
  | 'type'
  | 'enum'
  | 'namespace'
  /** An object literal bound to a name, holding methods: `const api = { get() {} }`. */
  | 'object'
  /** A describe/it/test call with a callback; a test symbol only in a test file. */
  | 'test';

export interface TsField {
  name: string;
  type?: TypeRef;
  value?: Expr;
  /** Where the value is evaluated (the assignment), so parameters in scope there type it. */
  at: number;
}

export interface TsCallback {
  /** Index of the parameter (of the declared function) the callback is passed as. */
  arg: number;
  /** The callback's parameter types, in order; null where untyped or not a named type. */
  params: Array<TypeRef | null>;
}

export interface TsTypeParam {
  name: string;
  bound?: TypeRef;
}

/**
 * What only a declaration's symbol record reads: kept apart from the
 * declaration (TsFileFacts.details), as a local fact, so that resolution
 * does not hold every declaration's text and range in memory.
 */
export interface TsDeclDetail {
  /** start line, start column, end line, end column */
  range: FactRange;
  nameLine: number;
  nameCol: number;
  signature: string;
  doc: string;
}

export interface TsDecl {
  kind: TsDeclKind;
  name: string;
  /** Index of the enclosing declaration, -1 at the top of the file. */
  parent: number;
  start: number;
  end: number;
  /** Written with `export` (inside a namespace: exported from it). */
  exported?: boolean;
  /** private / protected / #name members are not part of the public surface. */
  hidden?: boolean;
  static?: boolean;
  accessor?: 'get' | 'set';
  /** A method signature without a body (interfaces, abstract methods, overloads). */
  abstract?: boolean;
  /** class: the `extends` expression; interface: every extended type. */
  extends?: Expr[];
  implements?: TypeRef[];
  /** Declared return type (Promise<T> unwrapped to T). */
  returns?: TypeRef;
  /** No declared return type, and every `return` is `new C(…)` of one class C: C. */
  returnsNew?: TypeRef;
  /**
   * A method with no declared return type whose every `return` returns `this`
   * or what another method of `this` returns (named in `returnsThisVia`): a
   * fluent method when those are fluent too.
   */
  returnsThis?: boolean;
  returnsThisVia?: string[];
  /**
   * class: fields, parameter properties and `this.x = …` assignments;
   * interface and object type alias: property signatures that are not functions.
   */
  fields?: TsField[];
  /** Parameters typed as functions (`init: (source: Observable<T>, subscriber: Subscriber<R>) => void`): the types of their parameters. */
  callbacks?: TsCallback[];
  /** `<T extends Base = Default>`: what each type parameter is known to be (its constraint, else its default). */
  typeParams?: TsTypeParam[];
  /** type alias: the aliased named type. */
  alias?: TypeRef;
  /** test: the framework function (`describe`, `it`, `test`, …). */
  testFunction?: string;
}

/** A name bound in a scope: a declaration, parameter, variable or require. */
export interface TsBinding {
  name: string;
  /** Offset from which the name is bound; hoisted and module-level names use the scope's start. */
  at: number;
  scope: [number, number];
  decl?: number;
  type?: TypeRef;
  value?: Expr;
}

export interface TsImport {
  local: string;
  source: string;
  /** The exported name; `default`; `*` for a namespace import. */
  imported: string;
  line: number;
}

export interface TsExport {
  /** The exported name, `default`, or `*` for `export * from`. */
  exported: string;
  /** The local name it refers to (`export { a as b }`, `export default a`, `module.exports = a`). */
  local?: string;
  /** The declaration it refers to, when it has no name of its own (`export default () => …`). */
  decl?: number;
  /** Re-export: `export … from source`. */
  source?: string;
  /** Re-export: the name in `source`; `*` for `export * as ns`. */
  imported?: string;
}

export interface TsCall {
  /** Index into `decls` of the innermost enclosing declaration; -1 for module-level code. */
  owner: number;
  fn: Expr;
  /** `new C()`. */
  isNew?: boolean;
  line: number;
  col: number;
  at: number;
}

export interface TsFileFacts {
  decls: TsDecl[];
  /** Each declaration's detail, by index into decls (a local fact: read back when the file's symbols are made). */
  details: TsDeclDetail[];
  bindings: TsBinding[];
  imports: TsImport[];
  exports: TsExport[];
  calls: TsCall[];
  /**
   * What the incremental rule needs of the calls, which are a local fact
   * (read back only while this file's calls are resolved: see index.ts):
   * the member names along each call's function expression (`a.b.c()`: c,
   * b), and the module specifiers of `require(…)` at the root of one
   * (`require('x').f()`), each sorted.
   */
  calledMembers: string[];
  callSpecifiers: string[];
  /** Uses `module.exports` or `exports.x`: a CommonJS module. */
  commonjs?: boolean;
  lines: number;
}

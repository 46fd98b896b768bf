/**
 * The facts the Python extractor keeps for one file: declarations, the
 * names bound in each scope (with what they were bound to), star imports,
 * `__all__`, and calls. Names and shapes as written; what `from ..x import
 * y` means depends on where the file sits, which only the resolver sees.
 *
 * Offsets (`at`, `start`, `end`, `scope`) are character offsets into the
 * file's text, used only to nest and order things inside that file.
 */
import type { FactRange } from '../syntax-helpers.js';

/** An annotation reduced to the class it names: `Optional[db.Session]` → {name: Session, qualifier: [db]}. */
export interface PyTypeRef {
  name: string;
  qualifier?: string[];
}

export type PyExpr =
  | { k: 'id'; name: string }
  | { k: 'attr'; x: PyExpr; name: string }
  | { k: 'call'; fn: PyExpr }
  /** `super()` (with or without arguments). */
  | { k: 'super' }
  /** A literal of a built-in type: str, number, list, dict, set, tuple. */
  | { k: 'builtin' }
  /** `x[i]`: which element is computed at run time. */
  | { k: 'dynamic'; x: PyExpr }
  | { k: 'lambda' }
  | { k: 'other' };

export interface PyField {
  name: string;
  type?: PyTypeRef;
  value?: PyExpr;
  /** Where the value is evaluated, so the method's parameters type it. */
  at: number;
}

/**
 * What only a declaration's symbol record reads: kept apart from the
 * declaration (PyFileFacts.details), as a local fact, so that resolution
 * does not hold every declaration's text and range in memory.
 */
export interface PyDeclDetail {
  /** start line, start column, end line, end column */
  range: FactRange;
  nameLine: number;
  nameCol: number;
  signature: string;
  doc: string;
}

export interface PyDecl {
  kind: 'function' | 'class';
  name: string;
  /** Index of the enclosing declaration, -1 at module level. */
  parent: number;
  start: number;
  end: number;
  decorators?: string[];
  /** Class: base class expressions as written (keyword arguments such as metaclass= left out). */
  bases?: PyExpr[];
  /** Function: the first parameter's name (`self`, `cls`) — a method's receiver. */
  firstParam?: string;
  returns?: PyTypeRef;
  /** Class: class-level attributes and `self.x = …` assignments in its methods. */
  fields?: PyField[];
}

/** What an import binds: `import a.b` → {module: 'a'}; `import a.b as c` → {module: 'a.b'}; `from .m import n` → {module: '.m', name: 'n'}. */
export interface PyImportRef {
  module: string;
  name?: string;
}

export interface PyBinding {
  name: string;
  /** Offset of the binding statement. */
  at: number;
  /** The function (or module) whose local the name is. */
  scope: [number, number];
  decl?: number;
  import?: PyImportRef;
  type?: PyTypeRef;
  value?: PyExpr;
  /** A method's first parameter: `self` (an instance of the class at this declaration index) or `cls` (the class). */
  receiver?: { kind: 'instance' | 'class'; cls: number };
}

export interface PyCall {
  /** Index into `decls` of the innermost enclosing declaration; -1 for module-level code. */
  owner: number;
  fn: PyExpr;
  line: number;
  col: number;
  at: number;
}

export interface PyFileFacts {
  decls: PyDecl[];
  /** Each declaration's detail, by index into decls (a local fact: read back when the file's symbols are made). */
  details: PyDeclDetail[];
  bindings: PyBinding[];
  /** `from m import *` at module level. */
  stars: Array<{ module: string; line: number }>;
  /** Modules named by `import a.b.c` (which makes a.b.c reachable from `a`) and by every from-import, for diagnostics. */
  imports: Array<{ module: string; line: number }>;
  /** `__all__` when it is a literal list or tuple of strings. */
  all?: string[];
  calls: PyCall[];
  /**
   * The attribute names along each call's function expression (`a.b.c()`:
   * b, c), sorted: what the incremental rule needs of the calls, which are
   * a local fact (read back only while this file's calls are resolved).
   */
  calledAttributes: string[];
  lines: number;
}

/**
 * Shared state of one file's extraction: the facts being built and the
 * syntax nodes behind each declaration, which later passes need to nest
 * bindings, exports and calls.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import type { TsDecl, TsDeclDetail, TsField, TsFileFacts } from './facts.js';

export interface DeclDraft {
  /** With its detail until extraction ends, when the two are taken apart (TsFileFacts.details). */
  decl: TsDecl & TsDeclDetail;
  /** The node whose span is the declaration (used for nesting). */
  node: SyntaxNode;
  /** Binds its name in the enclosing scope (function and class declarations, `const f = …`). */
  bindsName: boolean;
  /** Hoisted to the start of its scope (function declarations). */
  hoisted: boolean;
  /** The node of the declaring statement, to find its scope. */
  statement: SyntaxNode;
}

export interface ExtractContext {
  text: string;
  facts: TsFileFacts;
  drafts: DeclDraft[];
  /** Start offsets of object literals whose function members are declarations. */
  declaredObjects: Set<number>;
  /** Declaration index by start offset, once declarations are sorted. */
  declAt: Map<number, number>;
  /** Class fields found inside the class (`this.x = …`, parameter properties), placed once all are known. */
  pendingFields: Array<{ offset: number; field: TsField }>;
}

/** The class whose method (or field initialiser) contains `offset`: `this` there is an instance of it. */
export function enclosingClass(context: ExtractContext, owner: number): number {
  const decls = context.facts.decls;
  let current = owner;
  while (current >= 0) {
    const decl = decls[current]!;
    if (decl.kind === 'class') return current;
    // A nested function declaration has its own `this`; methods and arrow fields pass to their class.
    if (decl.kind === 'function') return -1;
    current = decl.parent;
  }
  return -1;
}

/** Nodes that open a scope for `let`, `const`, classes and function declarations. */
const BLOCK_SCOPES = new Set([
  'program', 'statement_block', 'for_statement', 'for_in_statement', 'switch_body', 'class_static_block',
  'arrow_function', 'function_expression', 'function_declaration', 'generator_function', 'generator_function_declaration',
  'method_definition', 'catch_clause',
]);
const FUNCTION_SCOPES = new Set([
  'program', 'arrow_function', 'function_expression', 'function_declaration', 'generator_function',
  'generator_function_declaration', 'method_definition', 'class_static_block',
]);

/** The span in which a name declared at `node` is visible; `var` reaches the whole function. */
export function scopeOf(node: SyntaxNode, functionScoped: boolean): [number, number] {
  const wanted = functionScoped ? FUNCTION_SCOPES : BLOCK_SCOPES;
  let current = node.parent;
  while (current && !wanted.has(current.type)) current = current.parent;
  if (!current || current.type === 'program') return [0, Number.MAX_SAFE_INTEGER];
  return [current.startIndex, current.endIndex];
}

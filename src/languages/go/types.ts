/**
 * Just enough of Go's type system to type a call's receiver: named types of
 * the repository and of external packages, pointers, slices, maps, channels
 * and function results. Every answer carries *how* it was known, because the
 * strategy (and so the confidence) of an edge depends on it.
 */
import type { Expr, GoBinding, GoInterfaceMethod, TypeExpr } from './facts.js';
import type { FileInfo, FuncInfo, PackageIndex, TypeInfo } from './packages.js';

export type GoType =
  | { t: 'named'; type: TypeInfo }
  | { t: 'external'; pkgPath: string; name: string }
  /** Some type of another module whose name is not known here (the result of an external function or method). */
  | { t: 'foreign'; pkgPath: string }
  | { t: 'builtin'; name: string }
  | { t: 'ptr'; elem: GoType }
  | { t: 'slice'; elem: GoType }
  | { t: 'map'; key: GoType; value: GoType }
  | { t: 'chan'; elem: GoType }
  | { t: 'func'; results: TypeExpr[]; file: FileInfo }
  | { t: 'struct'; fields: Array<{ name: string; type: TypeExpr; embedded: boolean }>; file: FileInfo };

/** How a type was learnt, from strongest to weakest evidence. */
export type Evidence = 'literal' | 'declared' | 'result';

export interface Typed {
  type: GoType;
  how: Evidence;
}

const EVIDENCE_RANK: Record<Evidence, number> = { literal: 0, declared: 1, result: 2 };

export function weaker(a: Evidence, b: Evidence): Evidence {
  return EVIDENCE_RANK[a] >= EVIDENCE_RANK[b] ? a : b;
}

const BUILTIN_TYPES = new Set([
  'bool', 'byte', 'complex64', 'complex128', 'error', 'float32', 'float64', 'int', 'int8', 'int16', 'int32',
  'int64', 'rune', 'string', 'uint', 'uint8', 'uint16', 'uint32', 'uint64', 'uintptr', 'any', 'comparable',
]);

export function isBuiltinType(name: string): boolean {
  return BUILTIN_TYPES.has(name);
}

/** How deep one expression is followed (selectors, calls, indexes of one another). */
const MAX_DEPTH = 12;
/** How many bindings and variables may be typed inside one another. */
const MAX_NESTING = 40;

/** A position inside a file: names are looked up as seen from there. */
export interface Place {
  file: FileInfo;
  at: number;
}

/**
 * Types expressions for one repository. Binding and variable types are
 * memoised: a receiver typed once is typed for every call that uses it.
 */
export class TypeOracle {
  /** By the file's bindings array: a file whose local facts are loaded for a while (resolve.ts) gets a fresh entry, and drops it. */
  private readonly bindingsByFile = new Map<GoBinding[], Map<string, GoBinding[]>>();
  private readonly bindingTypes = new Map<GoBinding, Typed | null>();
  private readonly inProgress = new Set<object>();
  /** Counts answers cut short by a cycle or a limit, so that they are not memoised. */
  private cutShort = 0;

  constructor(private readonly index: PackageIndex) {}

  /** The innermost binding of `name` visible at `place`, if any. */
  binding(place: Place, name: string): GoBinding | undefined {
    let best: GoBinding | undefined;
    for (const binding of this.bindingsOf(place.file).get(name) ?? []) {
      if (place.at < binding.scope[0] || place.at >= binding.scope[1]) continue;
      if (binding.at > place.at) continue;
      if (!best || binding.scope[0] > best.scope[0] || (binding.scope[0] === best.scope[0] && binding.at > best.at)) {
        best = binding;
      }
    }
    return best;
  }

  private bindingsOf(file: FileInfo): Map<string, GoBinding[]> {
    const bindings = file.facts.bindings;
    let byName = this.bindingsByFile.get(bindings);
    if (!byName) {
      byName = new Map();
      for (const binding of bindings) {
        const list = byName.get(binding.name);
        if (list) list.push(binding);
        else byName.set(binding.name, [binding]);
      }
      this.bindingsByFile.set(bindings, byName);
    }
    return byName;
  }

  /** Forgets what was learnt about these bindings (a file's local facts, let go once its calls are resolved). */
  forget(bindings: GoBinding[]): void {
    for (const binding of bindings) this.bindingTypes.delete(binding);
    this.bindingsByFile.delete(bindings);
  }

  /** Converts a written type to a GoType as seen from `file`. */
  resolveTypeExpr(type: TypeExpr, file: FileInfo, depth = 0): GoType | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (type.k) {
      case 'named': {
        if (type.pkg) {
          const importPath = file.imports.get(type.pkg);
          if (!importPath) return undefined;
          const pkg = this.index.byImportPath.get(importPath);
          if (pkg) {
            const info = pkg.types.get(type.name);
            return info ? { t: 'named', type: info } : undefined;
          }
          return { t: 'external', pkgPath: importPath, name: type.name };
        }
        const local = file.pkg.types.get(type.name);
        if (local) return { t: 'named', type: local };
        // An external test package sees the package it tests only through imports.
        for (const dotPath of file.dotImports) {
          const pkg = this.index.byImportPath.get(dotPath);
          const info = pkg?.types.get(type.name);
          if (info) return { t: 'named', type: info };
          if (!pkg) return { t: 'external', pkgPath: dotPath, name: type.name };
        }
        if (isBuiltinType(type.name)) return { t: 'builtin', name: type.name };
        return undefined;
      }
      case 'ptr': {
        const elem = this.resolveTypeExpr(type.elem, file, depth + 1);
        return elem ? { t: 'ptr', elem } : undefined;
      }
      case 'slice': {
        const elem = this.resolveTypeExpr(type.elem, file, depth + 1);
        return elem ? { t: 'slice', elem } : undefined;
      }
      case 'chan': {
        const elem = this.resolveTypeExpr(type.elem, file, depth + 1);
        return elem ? { t: 'chan', elem } : undefined;
      }
      case 'map': {
        const key = this.resolveTypeExpr(type.key, file, depth + 1);
        const value = this.resolveTypeExpr(type.value, file, depth + 1);
        return key && value ? { t: 'map', key, value } : undefined;
      }
      case 'func':
        return { t: 'func', results: type.results, file };
      case 'struct':
        return { t: 'struct', fields: type.fields, file };
      default:
        return undefined;
    }
  }

  /** The type of an expression as seen from `place`, or undefined when it cannot be known here. */
  typeOf(expr: Expr, place: Place, depth = 0, resultIndex = 0): Typed | undefined {
    if (depth > MAX_DEPTH) {
      this.cutShort++;
      return undefined;
    }
    switch (expr.k) {
      case 'id':
        return this.typeOfName(expr.name, place, depth, resultIndex);
      case 'sel': {
        if (expr.x.k === 'id' && this.isPackageName(expr.x.name, place)) {
          const importPath = place.file.imports.get(expr.x.name)!;
          const pkg = this.index.byImportPath.get(importPath);
          if (!pkg) return { type: { t: 'foreign', pkgPath: importPath }, how: 'result' };
          const variable = pkg.vars.get(expr.name);
          if (variable) return this.typeOfVar(variable.variable, variable.file, depth);
          return undefined;
        }
        const base = this.typeOf(expr.x, place, depth + 1);
        if (!base) return undefined;
        const field = this.fieldType(base.type, expr.name, depth);
        return field ? { type: field, how: weaker(base.how, 'declared') } : undefined;
      }
      case 'call':
        return this.typeOfCall(expr.fn, place, depth, resultIndex);
      case 'lit': {
        const type = this.resolveTypeExpr(expr.type, place.file);
        return type ? { type, how: 'literal' } : undefined;
      }
      case 'new': {
        const type = this.resolveTypeExpr(expr.type, place.file);
        return type ? { type: { t: 'ptr', elem: type }, how: 'literal' } : undefined;
      }
      case 'conv':
      case 'assert': {
        const type = this.resolveTypeExpr(expr.type, place.file);
        return type ? { type, how: 'declared' } : undefined;
      }
      case 'addr': {
        const inner = this.typeOf(expr.x, place, depth + 1);
        return inner ? { type: { t: 'ptr', elem: inner.type }, how: inner.how } : undefined;
      }
      case 'deref': {
        const inner = this.typeOf(expr.x, place, depth + 1);
        if (inner?.type.t === 'foreign') return inner;
        return inner && inner.type.t === 'ptr' ? { type: inner.type.elem, how: inner.how } : undefined;
      }
      case 'recv': {
        if (resultIndex > 0) return { type: { t: 'builtin', name: 'bool' }, how: 'declared' };
        const inner = this.typeOf(expr.x, place, depth + 1);
        if (!inner || inner.type.t === 'foreign') return inner;
        const channel = this.underlying(inner.type);
        return channel.t === 'chan' ? { type: channel.elem, how: inner.how } : undefined;
      }
      case 'index': {
        const inner = this.typeOf(expr.x, place, depth + 1);
        if (!inner) return undefined;
        if (inner.type.t === 'foreign') return inner;
        const container = this.underlying(inner.type.t === 'ptr' ? inner.type.elem : inner.type);
        if (container.t === 'slice') return { type: container.elem, how: inner.how };
        if (container.t === 'map') return { type: container.value, how: inner.how };
        return undefined;
      }
      case 'rangeKey':
      case 'rangeValue': {
        const inner = this.typeOf(expr.x, place, depth + 1);
        if (!inner) return undefined;
        if (inner.type.t === 'foreign') return inner;
        const container = this.underlying(inner.type.t === 'ptr' ? inner.type.elem : inner.type);
        if (container.t === 'map') return { type: expr.k === 'rangeKey' ? container.key : container.value, how: inner.how };
        if (container.t === 'slice' && expr.k === 'rangeValue') return { type: container.elem, how: inner.how };
        if (container.t === 'chan' && expr.k === 'rangeKey') return { type: container.elem, how: inner.how };
        return undefined;
      }
      case 'funclit':
        return { type: { t: 'func', results: expr.results, file: place.file }, how: 'literal' };
      default:
        return undefined;
    }
  }

  /** Is `name` an import alias at this place (and not shadowed by a local or package-level name)? */
  isPackageName(name: string, place: Place): boolean {
    if (!place.file.imports.has(name)) return false;
    if (this.binding(place, name)) return false;
    const pkg = place.file.pkg;
    return !pkg.vars.has(name) && !pkg.funcs.has(name) && !pkg.types.has(name);
  }

  private typeOfName(name: string, place: Place, depth: number, resultIndex: number): Typed | undefined {
    const binding = this.binding(place, name);
    if (binding) return this.typeOfBinding(binding, place.file, depth);
    const variable = place.file.pkg.vars.get(name);
    if (variable) return this.typeOfVar(variable.variable, variable.file, depth);
    void resultIndex;
    // `import . "pkg"` (an external test package's usual import) makes pkg's variables visible.
    for (const path of place.file.dotImports) {
      const dotted = this.index.byImportPath.get(path)?.vars.get(name);
      if (dotted) return this.typeOfVar(dotted.variable, dotted.file, depth);
    }
    return undefined;
  }

  private typeOfBinding(binding: GoBinding, file: FileInfo, depth: number): Typed | undefined {
    void depth;
    const cached = this.bindingTypes.get(binding);
    if (cached !== undefined) return cached ?? undefined;
    if (this.inProgress.has(binding) || this.inProgress.size > MAX_NESTING) {
      this.cutShort++;
      return undefined;
    }
    this.inProgress.add(binding);
    const cutsBefore = this.cutShort;
    let result: Typed | undefined;
    if (binding.type) {
      const type = this.resolveTypeExpr(binding.type, file);
      if (type) result = { type, how: 'declared' };
    } else if (binding.value) {
      // The initialiser is evaluated where the declaration starts: `x := x.next` sees the outer x.
      // It gets a fresh depth budget: chains of bindings are bounded by MAX_NESTING and cycles by inProgress.
      result = this.typeOf(binding.value, { file, at: binding.evalAt ?? binding.scope[0] }, 0, binding.index ?? 0);
    }
    this.inProgress.delete(binding);
    // A result cut short by a cycle or a limit depends on where the walk began: not remembered.
    if (result || this.cutShort === cutsBefore) this.bindingTypes.set(binding, result ?? null);
    return result;
  }

  private typeOfVar(variable: { type?: TypeExpr; value?: Expr; index?: number }, file: FileInfo, depth: number): Typed | undefined {
    void depth;
    if (this.inProgress.has(variable) || this.inProgress.size > MAX_NESTING) {
      this.cutShort++;
      return undefined;
    }
    this.inProgress.add(variable);
    let result: Typed | undefined;
    if (variable.type) {
      const type = this.resolveTypeExpr(variable.type, file);
      if (type) result = { type, how: 'declared' };
    } else if (variable.value) {
      // Package-level initialisers see only package-level names: offset -1 is outside every local scope.
      result = this.typeOf(variable.value, { file, at: -1 }, 0, variable.index ?? 0);
    }
    this.inProgress.delete(variable);
    return result;
  }

  private typeOfCall(fn: Expr, place: Place, depth: number, resultIndex: number): Typed | undefined {
    const target = fn.k === 'index' ? fn.x : fn;
    if (target.k === 'id') {
      const binding = this.binding(place, target.name);
      if (binding) {
        const value = this.typeOfBinding(binding, place.file, depth);
        return value ? this.resultOfFuncType(value.type, resultIndex) : undefined;
      }
      const funcs = place.file.pkg.funcs.get(target.name) ?? this.dotImportedFuncs(place.file, target.name);
      if (funcs && funcs[0]) return this.resultOf(funcs[0], resultIndex);
      const variable = place.file.pkg.vars.get(target.name);
      if (variable) {
        const value = this.typeOfVar(variable.variable, variable.file, depth);
        return value ? this.resultOfFuncType(value.type, resultIndex) : undefined;
      }
      const type = this.resolveTypeExpr({ k: 'named', name: target.name }, place.file);
      if (type) return { type, how: 'declared' };
      return undefined;
    }
    if (target.k === 'sel') {
      if (target.x.k === 'id' && this.isPackageName(target.x.name, place)) {
        const importPath = place.file.imports.get(target.x.name)!;
        const pkg = this.index.byImportPath.get(importPath);
        // What another module's function returns is outside the repository (save generics).
        if (!pkg) return { type: { t: 'foreign', pkgPath: importPath }, how: 'result' };
        const funcs = pkg.funcs.get(target.name);
        if (funcs && funcs[0]) return this.resultOf(funcs[0], resultIndex);
        const type = pkg.types.get(target.name);
        if (type) return { type: { t: 'named', type }, how: 'declared' };
        return undefined;
      }
      const receiver = this.typeOf(target.x, place, depth + 1);
      if (!receiver) return undefined;
      const method = this.findMethod(receiver.type, target.name);
      if (!method) {
        // A field holding a function: `s.handler(…)`.
        const field = this.fieldType(receiver.type, target.name);
        const result = field ? this.resultOfFuncType(field, resultIndex) : undefined;
        return result ? { type: result.type, how: weaker(receiver.how, 'result') } : undefined;
      }
      if (method.kind === 'methods' && method.targets[0]) {
        return this.resultOf(method.targets[0], resultIndex);
      }
      if (method.kind === 'external' || method.kind === 'foreign') {
        return { type: { t: 'foreign', pkgPath: method.pkgPath }, how: 'result' };
      }
      if (method && method.kind === 'interface') {
        const results = method.results;
        const result = results[resultIndex];
        if (!result) return undefined;
        const type = this.resolveTypeExpr(result, method.type.file);
        return type ? { type, how: 'result' } : undefined;
      }
      return undefined;
    }
    return undefined;
  }

  private dotImportedFuncs(file: FileInfo, name: string): readonly FuncInfo[] | undefined {
    for (const path of file.dotImports) {
      const funcs = this.index.byImportPath.get(path)?.funcs.get(name);
      if (funcs) return funcs;
    }
    return undefined;
  }

  private resultOf(fn: FuncInfo, resultIndex: number): Typed | undefined {
    const result = fn.decl.results[resultIndex];
    if (!result) return undefined;
    const type = this.resolveTypeExpr(result, fn.file);
    return type ? { type, how: 'result' } : undefined;
  }

  private resultOfFuncType(declared: GoType, resultIndex: number): Typed | undefined {
    if (declared.t === 'foreign') return { type: declared, how: 'result' };
    const type = this.underlying(declared);
    if (type.t !== 'func') return undefined;
    const result = type.results[resultIndex];
    if (!result) return undefined;
    const resolved = this.resolveTypeExpr(result, type.file);
    return resolved ? { type: resolved, how: 'result' } : undefined;
  }

  /**
   * The type a named type is defined as, when it is a slice, map, channel,
   * pointer or function type (`type Items []*Item`, `type Handler func(…) error`):
   * what indexing, ranging and calling a value of it give. Other types are
   * returned as they are.
   */
  underlying(type: GoType, depth = 0): GoType {
    if (type.t !== 'named' || depth > 8 || !type.type.decl.underlying) return type;
    const next = this.resolveTypeExpr(type.type.decl.underlying, type.type.file);
    if (!next) return type;
    return next.t === 'named' ? this.underlying(next, depth + 1) : next;
  }

  /** Follows `type T = U` aliases and `type T U` definitions of struct types to the type that holds fields. */
  private underlyingNamed(type: TypeInfo, depth = 0): TypeInfo {
    if (depth > MAX_DEPTH || !type.decl.underlying) return type;
    const next = this.resolveTypeExpr(type.decl.underlying, type.file);
    if (next?.t === 'named' && !next.type.is(type)) return this.underlyingNamed(next.type, depth + 1);
    return type;
  }

  /** The type of field `name` of a (pointer to a) struct, following embedded fields. */
  fieldType(type: GoType, name: string, depth = 0): GoType | undefined {
    if (depth > 4) return undefined;
    const base = type.t === 'ptr' ? type.elem : type;
    if (base.t === 'external' || base.t === 'foreign') return { t: 'foreign', pkgPath: base.pkgPath };
    let fields: Array<{ name: string; type: TypeExpr; embedded: boolean }>;
    let file: FileInfo;
    if (base.t === 'named') {
      const info = this.underlyingNamed(base.type);
      if (info.decl.underlying?.k === 'struct') {
        fields = info.decl.underlying.fields;
      } else {
        fields = info.decl.fields;
      }
      file = info.file;
    } else if (base.t === 'struct') {
      fields = base.fields;
      file = base.file;
    } else {
      return undefined;
    }
    for (const field of fields) {
      if (!field.embedded && field.name === name) return this.resolveTypeExpr(field.type, file);
    }
    for (const field of fields) {
      if (!field.embedded) continue;
      const embedded = this.resolveTypeExpr(field.type, file);
      if (!embedded) continue;
      if (embeddedName(field.type) === name) return embedded;
      const inner = this.fieldType(embedded, name, depth + 1);
      if (inner) return inner;
    }
    return undefined;
  }

  /**
   * The methods a call `x.name()` can reach when x has type `type`:
   * declared methods, methods promoted from embedded fields, an interface's
   * method, or a method of an external type.
   */
  findMethod(type: GoType, name: string, depth = 0): MethodLookup | undefined {
    if (depth > 4) return undefined;
    const pointer = type.t === 'ptr';
    const base = type.t === 'ptr' ? type.elem : type;
    if (base.t === 'external') return { kind: 'external', pkgPath: base.pkgPath, typeName: base.name, pointer, promoted: depth > 0 };
    if (base.t === 'foreign') return { kind: 'foreign', pkgPath: base.pkgPath };
    if (base.t === 'builtin') return base.name === 'error' && name === 'Error' ? { kind: 'builtin' } : undefined;
    if (base.t === 'struct') return this.findPromoted(base.fields, base.file, name, depth);
    if (base.t !== 'named') return undefined;
    const info = base.type;
    const declared = info.methods.get(name);
    if (declared && declared.length > 0) return { kind: 'methods', targets: declared, promoted: depth > 0 };
    if (info.kind === 'interface') return this.findInterfaceMethod(info, name, depth);
    const underlying = this.underlyingNamed(info);
    if (!underlying.is(info)) {
      // An alias has the methods of its target; a defined type keeps only an interface's method set.
      if (info.alias || underlying.kind === 'interface') return this.findMethod({ t: 'named', type: underlying }, name, depth);
    }
    const fields = underlying.decl.underlying?.k === 'struct' ? underlying.decl.underlying.fields : underlying.decl.fields;
    return this.findPromoted(fields, underlying.file, name, depth);
  }

  private findPromoted(
    fields: Array<{ name: string; type: TypeExpr; embedded: boolean }>,
    file: FileInfo,
    name: string,
    depth: number,
  ): MethodLookup | undefined {
    for (const field of fields) {
      if (!field.embedded) continue;
      const embedded = this.resolveTypeExpr(field.type, file);
      if (!embedded) continue;
      const found = this.findMethod(embedded, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  private findInterfaceMethod(info: TypeInfo, name: string, depth: number): MethodLookup | undefined {
    const id = info.interfaceMethod(name);
    if (id) {
      const method = info.decl.methods.find((m) => m.name === name)!;
      return { kind: 'interface', type: info, methodId: id, results: method.results, promoted: depth > 0 };
    }
    for (const embed of info.decl.embeds) {
      const embedded = this.resolveTypeExpr(embed, info.file);
      if (!embedded) continue;
      const found = this.findMethod(embedded, name, depth + 1);
      if (found) return found;
    }
    return undefined;
  }

  /** Every method of an interface with the interface declaring it, including those of embedded interfaces in the repository. */
  interfaceMethods(info: TypeInfo, depth = 0): Array<{ method: GoInterfaceMethod; owner: TypeInfo }> {
    const methods = info.decl.methods.map((method) => ({ method, owner: info }));
    if (depth > 4) return methods;
    for (const embed of info.decl.embeds) {
      const embedded = this.resolveTypeExpr(embed, info.file);
      if (embedded?.t === 'named' && embedded.type.kind === 'interface') {
        methods.push(...this.interfaceMethods(embedded.type, depth + 1));
      }
    }
    return methods;
  }

  /**
   * Could `fn` implement the interface method? The same number of
   * parameters and results, the same variadic-ness, and no parameter or
   * result whose types are both known and differ.
   */
  signatureMatches(method: GoInterfaceMethod, owner: TypeInfo, fn: FuncInfo): boolean {
    // The counts first, from the head: most candidates fail them, and their declarations need not be read.
    const head = fn.head;
    if (head.params !== undefined && (head.params !== method.params.length || head.results !== method.results.length)) return false;
    const params = fn.decl.params ?? [];
    if (params.length !== method.params.length || fn.decl.results.length !== method.results.length) return false;
    for (let index = 0; index < params.length; index++) {
      const mine = params[index]!;
      const theirs = method.params[index]!;
      if (Boolean(mine.variadic) !== Boolean(theirs.variadic)) return false;
      if (this.differ(theirs.type, owner.file, mine.type, fn.file)) return false;
    }
    return method.results.every((result, index) => !this.differ(result, owner.file, fn.decl.results[index]!, fn.file));
  }

  /** True only when both types are known and are not the same type. */
  private differ(a: TypeExpr, aFile: FileInfo, b: TypeExpr, bFile: FileInfo): boolean {
    const left = this.resolveTypeExpr(a, aFile);
    const right = this.resolveTypeExpr(b, bFile);
    return left !== undefined && right !== undefined && sameType(left, right) === false;
  }
}

const BUILTIN_ALIASES: Record<string, string> = { byte: 'uint8', rune: 'int32' };

/** Whether two types are the same: true, false, or undefined when the shapes here cannot tell. */
export function sameType(a: GoType, b: GoType): boolean | undefined {
  if (a.t !== b.t) {
    // A defined type is identical to nothing else; an alias may be anything.
    if ((a.t === 'named' && a.type.alias) || (b.t === 'named' && b.type.alias)) return undefined;
    return false;
  }
  switch (a.t) {
    case 'named':
      return a.type.is((b as typeof a).type) ? true : a.type.alias || (b as typeof a).type.alias ? undefined : false;
    case 'external':
      return a.pkgPath === (b as typeof a).pkgPath && a.name === (b as typeof a).name ? true : undefined;
    case 'builtin': {
      const left = BUILTIN_ALIASES[a.name] ?? a.name;
      const right = BUILTIN_ALIASES[(b as typeof a).name] ?? (b as typeof a).name;
      return left === right;
    }
    case 'ptr':
    case 'slice':
    case 'chan':
      return sameType(a.elem, (b as typeof a).elem);
    case 'map': {
      const other = b as typeof a;
      const key = sameType(a.key, other.key);
      const value = sameType(a.value, other.value);
      return key === false || value === false ? false : key && value ? true : undefined;
    }
    default:
      return undefined;
  }
}

export type MethodLookup =
  | { kind: 'methods'; targets: readonly FuncInfo[]; promoted: boolean }
  | { kind: 'interface'; type: TypeInfo; methodId: string; results: TypeExpr[]; promoted: boolean }
  | { kind: 'external'; pkgPath: string; typeName: string; pointer: boolean; promoted: boolean }
  | { kind: 'foreign'; pkgPath: string }
  | { kind: 'builtin' };

function embeddedName(type: TypeExpr): string | undefined {
  if (type.k === 'ptr') return embeddedName(type.elem);
  if (type.k === 'named') return type.name;
  return undefined;
}

/**
 * What a name or expression denotes, as seen from a place in a file: a
 * declaration of the repository, a module (namespace import, require), a
 * thing inside a package, or an instance of a class or interface — with the
 * evidence that decides the strategy of an edge built on it. Exports are
 * followed through re-exports and barrel files at any depth.
 */
import type { Expr, TsBinding, TypeRef } from './facts.js';
import { GLOBAL_NAMES } from './globals.js';
import type { ModuleResolver } from './module-resolution.js';
import { bindingAt, type TsFile } from './project.js';
import { declOf, enclosingDecl, typeRefOf, type Evidence, type Found, type Place, type Value } from './value-types.js';

export { declOf, type Evidence, type Found, type Place, type Value } from './value-types.js';

const MAX_DEPTH = 16;
const PRIMITIVE_TYPES = new Set(['string', 'number', 'boolean', 'bigint', 'symbol', 'object', 'unknown', 'any', 'never', 'void', 'Record']);
/** Declarations whose members a value of them has: `findMember` looks there. */
const MEMBER_OWNERS = new Set(['class', 'interface', 'object', 'type']);
const EVIDENCE_RANK: Record<Evidence, number> = { new: 0, declared: 1, result: 2 };

function weaker(a: Evidence, b: Evidence): Evidence {
  return EVIDENCE_RANK[a] >= EVIDENCE_RANK[b] ? a : b;
}

/** Where a name is looked up: values (`const x`), or types too, where a class, interface or alias wins. */
type Space = 'value' | 'type';

function returnsThisType(callee: Value): boolean {
  const returns = declOf(callee)?.decl.returns;
  return returns !== undefined && returns.name === 'this' && !returns.qualifier;
}

const typeParamNamesCache = new WeakMap<TsFile, Set<string>>();

/** Every type parameter name declared in a file: most type names are not one, and need no walk up the declarations. */
function typeParamNames(file: TsFile): Set<string> {
  let names = typeParamNamesCache.get(file);
  if (!names) {
    names = new Set(file.facts.decls.flatMap((decl) => (decl.typeParams ?? []).map((param) => param.name)));
    typeParamNamesCache.set(file, names);
  }
  return names;
}

export class ValueOracle {
  private readonly exportCache = new Map<string, Value | null>();
  private readonly inProgress = new Set<unknown>();

  constructor(
    private readonly files: Map<string, TsFile>,
    private readonly modules: ModuleResolver,
  ) {}

  /**
   * Forgets what earlier questions learnt. A resolver calls this before each
   * file: an answer cut short by a cycle or by MAX_DEPTH depends on the
   * question that led to it, so a cache shared across files would make one
   * file's edges depend on which files were resolved before it — and an
   * incremental resolution, which resolves only some files, must give each
   * file exactly the edges a full one does.
   */
  forgetCaches(): void {
    this.exportCache.clear();
  }

  /** Another oracle over the same repository, with caches of its own. */
  detached(): ValueOracle {
    return new ValueOracle(this.files, this.modules);
  }

  /** The module an import specifier names, from `file`. */
  moduleValue(file: TsFile, specifier: string): Value {
    const target = this.modules.resolve(file.path, specifier);
    switch (target.k) {
      case 'file': {
        const found = this.files.get(target.path);
        return found ? { v: 'module', file: found } : { v: 'missing', reason: `${target.path} was not parsed` };
      }
      case 'external':
        return { v: 'external', module: target.module, packagePath: target.packagePath, path: [] };
      case 'missing':
        return { v: 'missing', reason: target.reason };
    }
  }

  /**
   * What `name` means at `place`: a binding in scope, else an import.
   * Undefined for globals and unknown names. In the type space a class,
   * interface, type alias or enum of that name wins over a value.
   */
  name(name: string, place: Place, depth = 0, space: Space = 'value'): Found | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (space === 'type') {
      const type = this.typeName(name, place);
      if (type) return { value: type, imported: false };
    }
    const binding = bindingAt(place.file, name, place.at);
    if (binding) {
      if (binding.decl !== undefined) return { value: { v: 'decl', file: place.file, index: binding.decl }, imported: false };
      if (this.inProgress.has(binding)) return undefined;
      this.inProgress.add(binding);
      try {
        if (binding.type) {
          const type = this.type(binding.type, { file: place.file, at: binding.at }, depth + 1);
          if (type) return { value: type.v === 'builtin' ? type : { v: 'instance', of: type, how: 'declared' }, imported: false };
        }
        if (binding.value) {
          const imported = binding.value.k === 'require' || (binding.value.k === 'member' && binding.value.x.k === 'require');
          const value = this.expr(binding.value, { file: place.file, at: binding.at }, depth + 1);
          return value ? { value, imported } : { value: { v: 'missing', reason: 'local value' }, imported: false };
        }
        return { value: { v: 'missing', reason: 'local value' }, imported: false };
      } finally {
        this.inProgress.delete(binding);
      }
    }
    const entry = place.file.imports.get(name);
    if (!entry) return undefined;
    const module = this.moduleValue(place.file, entry.source);
    if (entry.imported === '*' || module.v === 'missing') return { value: module, imported: true };
    const value = this.member(module, entry.imported, depth + 1, space) ?? { v: 'missing', reason: `${entry.source} has no export ${entry.imported}` };
    return { value, imported: true };
  }

  /** A module-level name of `file`, as its exports refer to it. */
  private moduleName(file: TsFile, name: string, depth: number, space: Space): Value | undefined {
    return this.name(name, { file, at: 0 }, depth, space)?.value;
  }

  /** An export of a file, through re-exports (`export … from`, `export *`) and CommonJS exports. */
  exportOf(file: TsFile, name: string, depth = 0, space: Space = 'value'): Value | undefined {
    const key = `${file.path}\u0000${name}\u0000${space}`;
    const cached = this.exportCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH || this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    let result: Value | undefined;
    try {
      // An export's value does not depend on how deep the expression that asks
      // for it is: it is looked up with a fresh depth budget, so that an answer
      // cut short deep inside one expression is never cached for every other.
      result = this.findExport(file, name, 0, space);
    } finally {
      this.inProgress.delete(key);
    }
    this.exportCache.set(key, result ?? null);
    return result;
  }

  private findExport(file: TsFile, name: string, depth: number, space: Space): Value | undefined {
    for (const entry of file.exports.get(name) ?? []) {
      if (entry.source !== undefined) {
        const module = this.moduleValue(file, entry.source);
        if (entry.imported === '*') return module;
        const found = this.member(module, entry.imported ?? name, depth + 1, space);
        if (found) return found;
        continue;
      }
      if (entry.decl !== undefined) return { v: 'decl', file, index: entry.decl };
      if (entry.local !== undefined) {
        const found = this.moduleName(file, entry.local, depth + 1, space);
        if (found) return found;
      }
    }
    if (name === 'default') {
      // A CommonJS module without `module.exports = x` is its own default export.
      return file.facts.commonjs ? { v: 'module', file } : undefined;
    }
    let externalStar: Value | undefined;
    for (const star of file.starExports) {
      const module = this.moduleValue(file, star.source!);
      if (module.v === 'module') {
        const found = this.exportOf(module.file, name, depth + 1, space);
        if (found) return found;
      } else if (module.v === 'external' && !externalStar) {
        externalStar = { ...module, path: [name] };
      }
    }
    // `export * from 'pkg'` may be where the name comes from; it cannot be checked here.
    return externalStar;
  }

  /** `value.name`: an export, a static or object member, a namespace member, an instance's method or field. */
  member(value: Value, name: string, depth = 0, space: Space = 'value'): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (value.v) {
      case 'module':
        return this.exportOf(value.file, name, depth + 1, space);
      case 'external':
        return { ...value, path: [...value.path, name] };
      case 'missing':
        return undefined;
      case 'builtin':
      case 'opaque':
        return value;
      case 'decl': {
        const target = declOf(value)!;
        if (target.decl.kind === 'class') {
          const found = this.findMember(value, name, true, depth + 1);
          return found?.kind === 'decls' ? found.targets[0] : found?.kind === 'external' ? found.value : undefined;
        }
        const members = value.file.members.get(value.index)?.get(name);
        return members?.[0] !== undefined ? { v: 'decl', file: value.file, index: members[0] } : undefined;
      }
      case 'instance': {
        // Fields first: a base class outside the repository would otherwise claim every unknown name.
        const field = this.fieldOf(value.of, name, depth + 1);
        if (field?.of.v === 'builtin') return field.of;
        if (field) return { v: 'instance', of: field.of, how: weaker(value.how, field.how) };
        const found = this.findMember(value.of, name, false, depth + 1);
        if (found?.kind === 'decls') return found.targets[0];
        if (found?.kind === 'external') return found.value;
        return this.methodAlias(value.of, name, depth + 1);
      }
    }
  }

  /**
   * A method of a class or interface, its own or inherited along `extends`.
   * `inherited` tells whether it came from an ancestor; an ancestor outside
   * the repository yields an external reference.
   */
  findMember(
    owner: Value,
    name: string,
    wantStatic: boolean,
    depth = 0,
    seen = new Set<string>(),
  ): { kind: 'decls'; targets: Value[]; inherited: boolean } | { kind: 'external'; value: Value; inherited: boolean } | undefined {
    if (depth > MAX_DEPTH) return undefined;
    if (owner.v === 'external') return { kind: 'external', value: { ...owner, path: [...owner.path, name] }, inherited: false };
    const target = declOf(owner);
    if (!target || !MEMBER_OWNERS.has(target.decl.kind)) return undefined;
    const key = `${target.file.path}\u0000${target.index}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const own = (target.file.members.get(target.index)?.get(name) ?? []).filter((index) => {
      const member = target.file.facts.decls[index]!;
      return member.kind === 'method' && !member.accessor && (target.decl.kind !== 'class' || Boolean(member.static) === wantStatic);
    });
    if (own.length > 0) {
      return { kind: 'decls', targets: own.map((index) => ({ v: 'decl', file: target.file, index })), inherited: false };
    }
    for (const parent of target.decl.extends ?? []) {
      // An interface extends types; a class extends a value (the base class).
      const place = { file: target.file, at: target.decl.start };
      const asType = target.decl.kind === 'interface' ? typeRefOf(parent) : undefined;
      const base = asType ? this.type(asType, place, depth + 1) : this.expr(parent, place, depth + 1);
      if (!base) continue;
      const found = this.findMember(base.v === 'instance' ? base.of : base, name, wantStatic, depth + 1, seen);
      if (found) return { ...found, inherited: true };
    }
    return undefined;
  }

  /** `min = this.gte` in a class body: the field holds that method (what calling it returns is the method's result). */
  private methodAlias(owner: Value, name: string, depth: number): Value | undefined {
    const target = declOf(owner);
    if (target?.decl.kind !== 'class') return undefined;
    const field = target.decl.fields?.find((candidate) => candidate.name === name && candidate.value?.k === 'member' && candidate.value.x.k === 'this');
    if (!field?.value) return undefined;
    const value = this.expr(field.value, { file: target.file, at: field.at }, depth + 1);
    const method = declOf(value);
    return method && method.decl.kind === 'method' ? value : undefined;
  }

  /** The class a field holds an instance of: from its type, else from its value. */
  private fieldOf(owner: Value, name: string, depth: number, seen = new Set<string>()): { of: Value; how: Evidence } | undefined {
    const target = declOf(owner);
    if (!target || (target.decl.kind !== 'class' && target.decl.kind !== 'interface' && target.decl.kind !== 'type')) return undefined;
    const key = `${target.file.path}\u0000${target.index}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    for (const field of target.decl.fields ?? []) {
      if (field.name !== name) continue;
      const place = { file: target.file, at: field.at };
      if (field.type) {
        const type = this.type(field.type, place, depth + 1);
        if (type) return { of: type, how: 'declared' };
      }
      if (field.value) {
        const value = this.expr(field.value, place, depth + 1);
        if (value?.v === 'instance') return { of: value.of, how: value.how };
        if (value?.v === 'builtin') return { of: value, how: 'new' };
      }
    }
    for (const parent of target.decl.extends ?? []) {
      const place = { file: target.file, at: target.decl.start };
      const asType = target.decl.kind === 'interface' ? typeRefOf(parent) : undefined;
      const base = asType ? this.type(asType, place, depth + 1) : this.expr(parent, place, depth + 1);
      if (base?.v === 'decl') {
        const found = this.fieldOf(base, name, depth + 1, seen);
        if (found) return found;
      }
    }
    return undefined;
  }

  /** A written type → the class, interface or external type it names (aliases followed). */
  type(ref: TypeRef, place: Place, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value: Value | undefined;
    if (ref.qualifier && ref.qualifier.length > 0) {
      value = this.name(ref.qualifier[0]!, place, depth + 1)?.value;
      for (const part of ref.qualifier.slice(1)) value = value ? this.member(value, part, depth + 1) : undefined;
      value = value ? this.member(value, ref.name, depth + 1, 'type') : undefined;
    } else {
      if (ref.name === 'this') return this.thisType(place);
      const param = this.typeParam(ref.name, place);
      // A type parameter shadows every outer name; one with no constraint could be anything.
      if (param) return param.bound ? this.type(param.bound, { file: place.file, at: param.at }, depth + 1) : undefined;
      value = this.name(ref.name, place, depth + 1, 'type')?.value;
      if (!value && (PRIMITIVE_TYPES.has(ref.name) || GLOBAL_NAMES.has(ref.name))) return { v: 'builtin' };
    }
    const target = declOf(value);
    if (target?.decl.kind === 'type' && target.decl.alias) {
      return this.type(target.decl.alias, { file: target.file, at: target.decl.start }, depth + 1);
    }
    if (target && (target.decl.kind === 'class' || target.decl.kind === 'interface')) return value;
    // `type Api = { get(): T; base: Client }`: an object type with members is used as an interface is.
    if (target?.decl.kind === 'type' && (target.decl.fields || target.file.members.has(target.index))) return value;
    return value?.v === 'external' ? value : undefined;
  }

  /**
   * The type parameter `name` of a declaration around `place` (`<T extends Base>`),
   * with the offset of its declaration, where its constraint is read.
   */
  private typeParam(name: string, place: Place): { bound?: TypeRef; at: number } | undefined {
    if (!typeParamNames(place.file).has(name)) return undefined;
    const decls = place.file.facts.decls;
    for (let index = enclosingDecl(place.file, place.at); index >= 0; index = decls[index]!.parent) {
      const decl = decls[index]!;
      const param = decl.typeParams?.find((candidate) => candidate.name === name);
      if (param) return param.bound ? { bound: param.bound, at: decl.start } : { at: decl.start };
    }
    return undefined;
  }

  /** The `this` type at a place: the class, interface or object type around it. */
  private thisType(place: Place): Value | undefined {
    const decls = place.file.facts.decls;
    for (let index = enclosingDecl(place.file, place.at); index >= 0; index = decls[index]!.parent) {
      const kind = decls[index]!.kind;
      if (kind === 'class' || kind === 'interface' || kind === 'type') return { v: 'decl', file: place.file, index };
      if (kind === 'function') return undefined;
    }
    return undefined;
  }

  /**
   * Types and values live in separate namespaces: in a type position,
   * `interface ZodString` wins over `const ZodString = …` of the same name.
   */
  private typeName(name: string, place: Place): Value | undefined {
    let best: { binding: TsBinding; decl: number } | undefined;
    for (const binding of place.file.bindings.get(name) ?? []) {
      if (binding.decl === undefined || place.at < binding.scope[0] || place.at >= binding.scope[1]) continue;
      const kind = place.file.facts.decls[binding.decl]!.kind;
      if (kind !== 'class' && kind !== 'interface' && kind !== 'type' && kind !== 'enum') continue;
      if (!best || binding.scope[0] > best.binding.scope[0]) best = { binding, decl: binding.decl };
    }
    return best ? { v: 'decl', file: place.file, index: best.decl } : undefined;
  }

  /** The value of an expression at a place. */
  expr(expression: Expr, place: Place, depth = 0): Value | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expression.k) {
      case 'id': {
        const found = this.name(expression.name, place, depth + 1)?.value;
        // CommonJS code refers to its own exports as `exports.x`.
        if (!found && expression.name === 'exports' && place.file.facts.commonjs) return { v: 'module', file: place.file };
        return found;
      }
      case 'member': {
        if (expression.x.k === 'id' && expression.x.name === 'module' && expression.name === 'exports' && !this.name('module', place, depth + 1)) {
          return { v: 'module', file: place.file };
        }
        const base = this.expr(expression.x, place, depth + 1);
        return base ? this.member(base, expression.name, depth + 1) : undefined;
      }
      case 'this': {
        const owner = this.thisAt(place);
        return owner ? { v: 'instance', of: owner, how: 'new' } : undefined;
      }
      case 'builtin':
        return { v: 'builtin' };
      case 'new': {
        let callee = this.expr(expression.callee, place, depth + 1);
        if (!callee && expression.callee.k === 'id' && GLOBAL_NAMES.has(expression.callee.name)) return { v: 'builtin' };
        if (callee?.v === 'module') callee = this.exportOf(callee.file, 'default', depth + 1);
        const target = declOf(callee);
        if ((target && target.decl.kind === 'class') || callee?.v === 'external') return { v: 'instance', of: callee!, how: 'new' };
        return undefined;
      }
      case 'call': {
        const callee = this.expr(expression.fn, place, depth + 1);
        // A fluent method gives its receiver back: `new List().add(a)` is still that List.
        if (expression.fn.k === 'member' && expression.fn.x.k !== 'this' && callee && this.isFluent(callee, depth + 1)) {
          return this.expr(expression.fn.x, place, depth + 1);
        }
        // A method declared to return `this` (`min(n): this`) gives back its receiver, as precisely typed as it was.
        if (expression.fn.k === 'member' && callee && returnsThisType(callee)) {
          const receiver = this.expr(expression.fn.x, place, depth + 1);
          if (receiver?.v === 'instance') return receiver;
        }
        return callee ? this.resultOf(callee, depth + 1) : undefined;
      }
      case 'cast': {
        const type = this.type(expression.type, place, depth + 1);
        if (type?.v === 'builtin') return type;
        return type ? { v: 'instance', of: type, how: 'declared' } : undefined;
      }
      case 'require':
        return this.moduleValue(place.file, expression.source);
      case 'arg':
        return this.callbackParam(expression, place, depth + 1);
      default:
        return undefined;
    }
  }

  /** The declared type of a callback's parameter, from the function or constructor it is passed to. */
  private callbackParam(expression: Extract<Expr, { k: 'arg' }>, place: Place, depth: number): Value | undefined {
    let callee = this.expr(expression.fn, place, depth + 1);
    if (expression.isNew) {
      if (callee?.v === 'module') callee = this.exportOf(callee.file, 'default', depth + 1);
      const constructor = callee && declOf(callee)?.decl.kind === 'class' ? this.findMember(callee, 'constructor', false, depth + 1) : undefined;
      callee = constructor?.kind === 'decls' ? constructor.targets[0] : undefined;
    }
    const target = declOf(callee);
    if (!target || (target.decl.kind !== 'function' && target.decl.kind !== 'method')) return undefined;
    const ref = target.decl.callbacks?.find((callback) => callback.arg === expression.arg)?.params[expression.param];
    const type = ref ? this.type(ref, { file: target.file, at: target.decl.start }, depth + 1) : undefined;
    if (type?.v === 'builtin') return type;
    return type ? { v: 'instance', of: type, how: 'declared' } : undefined;
  }

  /** A method that gives its receiver back: every return is `this` or another such method of `this`. */
  private isFluent(method: Value, depth: number, seen = new Set<string>()): boolean {
    const target = declOf(method);
    if (!target?.decl.returnsThis || depth > MAX_DEPTH) return false;
    const key = `${target.file.path}\u0000${target.index}`;
    if (seen.has(key)) return true;
    seen.add(key);
    const owner = target.decl.parent >= 0 ? ({ v: 'decl', file: target.file, index: target.decl.parent } as Value) : undefined;
    return (target.decl.returnsThisVia ?? []).every((name) => {
      const found = owner ? this.findMember(owner, name, Boolean(target.decl.static), depth + 1) : undefined;
      return found?.kind === 'decls' && found.targets.every((other) => this.isFluent(other, depth + 1, seen));
    });
  }

  /** What calling a function returns, from its declared return type. */
  private resultOf(callee: Value, depth: number): Value | undefined {
    if (callee.v === 'external' || callee.v === 'opaque') return { v: 'opaque', module: callee.module };
    let target = declOf(callee);
    if (callee.v === 'module') target = declOf(this.exportOf(callee.file, 'default', depth + 1));
    if (!target || (target.decl.kind !== 'function' && target.decl.kind !== 'method')) return undefined;
    const returns = target.decl.returns ?? target.decl.returnsNew;
    if (!returns) return this.resultVia(target, depth + 1);
    const type = this.type(returns, { file: target.file, at: target.decl.start }, depth + 1);
    if (type?.v === 'builtin') return type;
    return type ? { v: 'instance', of: type, how: 'result' } : undefined;
  }

  /**
   * A method with no declared return type whose returns are all `this` or
   * `this.other(…)` (`gte(v) { return this.setLimit(…) }`) and is not fluent:
   * it returns what those other methods declare, when they agree.
   */
  private resultVia(target: NonNullable<ReturnType<typeof declOf>>, depth: number): Value | undefined {
    const via = target.decl.returnsThisVia ?? [];
    if (!target.decl.returnsThis || via.length === 0 || target.decl.parent < 0 || depth > MAX_DEPTH) return undefined;
    const owner: Value = { v: 'decl', file: target.file, index: target.decl.parent };
    let agreed: Value | undefined;
    for (const name of via) {
      const found = this.findMember(owner, name, Boolean(target.decl.static), depth + 1);
      const result = found?.kind === 'decls' && found.targets.length === 1 ? this.resultOf(found.targets[0]!, depth + 1) : undefined;
      const of = result?.v === 'instance' ? declOf(result.of) : undefined;
      if (!result || !of) return undefined;
      const known = agreed?.v === 'instance' ? declOf(agreed.of) : undefined;
      if (known && (known.file !== of.file || known.index !== of.index)) return undefined;
      agreed = result;
    }
    return agreed;
  }

  /** The class or object literal `this` refers to at a place: that of the enclosing method. */
  thisAt(place: Place, owner?: number): Value | undefined {
    const decls = place.file.facts.decls;
    let index = owner ?? enclosingDecl(place.file, place.at);
    while (index >= 0) {
      const decl = decls[index]!;
      if (decl.kind === 'class' || decl.kind === 'object') return { v: 'decl', file: place.file, index };
      if (decl.kind === 'function') return undefined;
      index = decl.parent;
    }
    return undefined;
  }
}

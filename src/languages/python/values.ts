/**
 * What a Python name or expression denotes, as seen from a place in a
 * file: a declaration, a module, a thing inside an installed package, an
 * instance of a class (with the evidence that decides an edge's strategy),
 * a built-in value, or nothing known. Modules' names are followed through
 * package __init__ re-exports and `from x import *` (honouring __all__);
 * methods are looked up in C3 method resolution order.
 */
import { isBuiltinName } from './builtins.js';
import type { DistributionNames } from './distributions.js';
import type { PyDecl, PyExpr, PyTypeRef } from './facts.js';
import { c3Merge, dedupe, keyOf } from './mro.js';
import { absoluteModule, bindingAt, type PyFile, type PyProject } from './project.js';

export type Evidence = 'new' | 'declared' | 'result';

export type PyValue =
  | { v: 'decl'; file: PyFile; index: number }
  | { v: 'module'; file: PyFile }
  | { v: 'external'; module: string; packagePath: string; path: string[] }
  | { v: 'instance'; of: PyValue; how: Evidence }
  | { v: 'builtin' }
  /** A value returned by a package's function. */
  | { v: 'opaque'; module: string }
  | { v: 'missing'; reason: string };

export interface PyPlace {
  file: PyFile;
  at: number;
  /** Inside a function: runs after the module has been executed. */
  deferred: boolean;
}

export interface Found {
  value: PyValue;
  imported: boolean;
}

const MAX_DEPTH = 16;
const BUILTIN_TYPES = new Set(['str', 'int', 'float', 'bool', 'bytes', 'list', 'dict', 'set', 'tuple', 'frozenset', 'object', 'List', 'Dict', 'Set', 'Tuple', 'Any', 'Callable', 'Iterable', 'Iterator', 'Sequence', 'Mapping']);
const EVIDENCE_RANK: Record<Evidence, number> = { new: 0, declared: 1, result: 2 };

export function declOf(value: PyValue | undefined): { file: PyFile; index: number; decl: PyDecl } | undefined {
  if (value?.v !== 'decl') return undefined;
  return { file: value.file, index: value.index, decl: value.file.facts.decls[value.index]! };
}

export class PyValueOracle {
  private readonly exportCache = new Map<string, PyValue | null>();
  private readonly mroCache = new Map<string, PyValue[]>();
  private readonly inProgress = new Set<unknown>();

  constructor(
    private readonly project: PyProject,
    private readonly distributions: DistributionNames,
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
    this.mroCache.clear();
  }

  /** An absolute module name → the repository's module, a package's module, or a missing one. */
  module(dotted: string): PyValue {
    const file = this.project.byModule.get(dotted);
    if (file) return { v: 'module', file };
    const top = dotted.split('.')[0]!;
    if (this.project.topLevel.has(top)) return { v: 'missing', reason: `no module ${dotted} in the repository` };
    return { v: 'external', module: this.distributions.of(top), packagePath: dotted, path: [] };
  }

  private imported(file: PyFile, ref: { module: string; name?: string }, depth: number): PyValue {
    const dotted = absoluteModule(file, ref.module);
    if (dotted === undefined) return { v: 'missing', reason: `relative import ${ref.module} goes beyond the top-level package` };
    if (ref.name === undefined) return this.module(dotted);
    const module = this.module(dotted);
    if (module.v !== 'module') return module.v === 'external' ? { ...module, path: [ref.name] } : module;
    return this.member(module, ref.name, depth + 1) ?? { v: 'missing', reason: `${dotted} has no attribute ${ref.name}` };
  }

  name(name: string, place: PyPlace, depth = 0): Found | undefined {
    if (depth > MAX_DEPTH) return undefined;
    const binding = bindingAt(place.file, name, place.at, place.deferred);
    if (!binding) {
      // Nothing binds the name here: `from m import *` at the top of the module may.
      // An unknown (external) module's star is no evidence against a built-in of that name.
      const starred = this.starAttribute(place.file, name, depth + 1);
      if (!starred || (starred.v === 'external' && isBuiltinName(name))) return undefined;
      return { value: starred, imported: true };
    }
    if (binding.decl !== undefined) return { value: { v: 'decl', file: place.file, index: binding.decl }, imported: false };
    if (binding.import) return { value: this.imported(place.file, binding.import, depth + 1), imported: true };
    if (binding.receiver) {
      const cls: PyValue = { v: 'decl', file: place.file, index: binding.receiver.cls };
      return { value: binding.receiver.kind === 'class' ? cls : { v: 'instance', of: cls, how: 'new' }, imported: false };
    }
    if (this.inProgress.has(binding)) return undefined;
    this.inProgress.add(binding);
    try {
      const bindingPlace: PyPlace = { file: place.file, at: binding.at, deferred: binding.scope[1] !== Number.MAX_SAFE_INTEGER };
      if (binding.type) {
        const type = this.type(binding.type, bindingPlace, depth + 1);
        if (type) return { value: type.v === 'builtin' ? type : { v: 'instance', of: type, how: 'declared' }, imported: false };
      }
      const value = binding.value ? this.expr(binding.value, bindingPlace, depth + 1) : undefined;
      return { value: value ?? { v: 'missing', reason: 'local value' }, imported: false };
    } finally {
      this.inProgress.delete(binding);
    }
  }

  /** A module's attribute: what its top level binds, what star imports bring, or a submodule. */
  moduleAttribute(file: PyFile, name: string, depth = 0): PyValue | undefined {
    const key = `${file.path}\u0000${name}`;
    const cached = this.exportCache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    if (depth > MAX_DEPTH || this.inProgress.has(key)) return undefined;
    this.inProgress.add(key);
    let result: PyValue | undefined;
    try {
      result = this.findAttribute(file, name, depth);
    } finally {
      this.inProgress.delete(key);
    }
    this.exportCache.set(key, result ?? null);
    return result;
  }

  private findAttribute(file: PyFile, name: string, depth: number): PyValue | undefined {
    const local = this.name(name, { file, at: Number.MAX_SAFE_INTEGER - 1, deferred: true }, depth + 1);
    // `name` also looks through star imports; a package's own submodule is surer than an external star's guess.
    if (local && local.value.v !== 'missing' && local.value.v !== 'external') return local.value;
    if (file.isPackage) {
      const submodule = this.project.byModule.get(`${file.module}.${name}`);
      if (submodule) return { v: 'module', file: submodule };
    }
    return local?.value;
  }

  /**
   * What the module's star imports bring under `name`: the first repository
   * module that exports it (honouring `__all__`), else the first external
   * module's attribute of that name, which cannot be checked.
   */
  private starAttribute(file: PyFile, name: string, depth: number): PyValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let externalStar: PyValue | undefined;
    for (const star of file.facts.stars) {
      const module = this.imported(file, { module: star.module }, depth + 1);
      if (module.v === 'module') {
        const visible = module.file.facts.all ? module.file.facts.all.includes(name) : !name.startsWith('_');
        if (!visible) continue;
        const found = this.moduleAttribute(module.file, name, depth + 1);
        if (found) return found;
      } else if (module.v === 'external' && !externalStar) {
        externalStar = { ...module, path: [name] };
      }
    }
    return externalStar;
  }

  member(value: PyValue, name: string, depth = 0): PyValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (value.v) {
      case 'module':
        return this.moduleAttribute(value.file, name, depth + 1);
      case 'external':
        return { ...value, path: [...value.path, name] };
      case 'builtin':
      case 'opaque':
        return value;
      case 'missing':
        return undefined;
      case 'decl': {
        if (value.file.facts.decls[value.index]!.kind !== 'class') return undefined;
        const found = this.findMethod(value, name, depth + 1);
        if (found?.kind === 'decls') return found.targets[0];
        if (found?.kind === 'external') return found.value;
        return undefined;
      }
      case 'instance': {
        const field = this.fieldOf(value.of, name, depth + 1);
        if (field?.of.v === 'builtin') return field.of;
        if (field) return { v: 'instance', of: field.of, how: EVIDENCE_RANK[field.how] > EVIDENCE_RANK[value.how] ? field.how : value.how };
        const found = this.findMethod(value.of, name, depth + 1);
        if (found?.kind === 'decls') return found.targets[0];
        if (found?.kind === 'external') return found.value;
        return undefined;
      }
    }
  }

  /** The C3 linearisation of a class: the class, then its bases in method resolution order. */
  mro(cls: PyValue, depth = 0): PyValue[] {
    const key = keyOf(cls);
    const cached = this.mroCache.get(key);
    if (cached) return cached;
    const target = declOf(cls);
    if (!target || target.decl.kind !== 'class' || depth > MAX_DEPTH || this.inProgress.has(`mro:${key}`)) return [cls];
    this.inProgress.add(`mro:${key}`);
    const bases: PyValue[] = [];
    for (const base of target.decl.bases ?? []) {
      const value = this.expr(base, { file: target.file, at: target.decl.start, deferred: false }, depth + 1);
      if (value && (value.v === 'external' || declOf(value)?.decl.kind === 'class')) bases.push(value);
    }
    const sequences = [...bases.map((base) => this.mro(base, depth + 1)), bases];
    const merged = c3Merge(sequences) ?? dedupe(sequences.flat());
    const result = [cls, ...merged];
    this.inProgress.delete(`mro:${key}`);
    this.mroCache.set(key, result);
    return result;
  }

  /** A method found along the MRO (from `start`); an external base on the way yields an external reference. */
  findMethod(
    cls: PyValue,
    name: string,
    depth = 0,
    start = 0,
  ): { kind: 'decls'; targets: PyValue[]; inherited: boolean } | { kind: 'external'; value: PyValue; inherited: boolean } | undefined {
    if (cls.v === 'external') return { kind: 'external', value: { ...cls, path: [...cls.path, name] }, inherited: false };
    const order = this.mro(cls, depth);
    for (let position = start; position < order.length; position++) {
      const entry = order[position]!;
      if (entry.v === 'external') return { kind: 'external', value: { ...entry, path: [...entry.path, name] }, inherited: position > 0 };
      const target = declOf(entry);
      if (!target) continue;
      const members = target.file.members.get(target.index)?.get(name);
      if (members && members.length > 0) {
        return { kind: 'decls', targets: members.map((index) => ({ v: 'decl', file: target.file, index })), inherited: position > 0 };
      }
    }
    return undefined;
  }

  /** The class an attribute holds an instance of: from `self.x = …` or class attributes, along the MRO. */
  fieldOf(cls: PyValue, name: string, depth = 0): { of: PyValue; how: Evidence } | undefined {
    for (const entry of this.mro(cls, depth)) {
      const target = declOf(entry);
      if (!target) continue;
      for (const field of target.decl.fields ?? []) {
        if (field.name !== name) continue;
        const place: PyPlace = { file: target.file, at: field.at, deferred: true };
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
    }
    return undefined;
  }

  /** An annotation → the class it names (or a built-in or external type). */
  type(ref: PyTypeRef, place: PyPlace, depth = 0): PyValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    let value: PyValue | undefined;
    if (ref.qualifier && ref.qualifier.length > 0) {
      value = this.name(ref.qualifier[0]!, place, depth + 1)?.value;
      for (const part of [...ref.qualifier.slice(1), ref.name]) value = value ? this.member(value, part, depth + 1) : undefined;
    } else {
      value = this.name(ref.name, place, depth + 1)?.value;
      if (!value && (BUILTIN_TYPES.has(ref.name) || isBuiltinName(ref.name))) return { v: 'builtin' };
    }
    if (declOf(value)?.decl.kind === 'class' || value?.v === 'external' || value?.v === 'builtin') return value;
    return undefined;
  }

  expr(expression: PyExpr, place: PyPlace, depth = 0): PyValue | undefined {
    if (depth > MAX_DEPTH) return undefined;
    switch (expression.k) {
      case 'id': {
        const found = this.name(expression.name, place, depth + 1);
        if (!found && isBuiltinName(expression.name)) return { v: 'builtin' };
        return found?.value;
      }
      case 'attr': {
        const base = this.expr(expression.x, place, depth + 1);
        return base ? this.member(base, expression.name, depth + 1) : undefined;
      }
      case 'call': {
        const callee = this.expr(expression.fn, place, depth + 1);
        return callee ? this.resultOf(callee, depth + 1) : undefined;
      }
      case 'builtin':
        return { v: 'builtin' };
      default:
        return undefined;
    }
  }

  /** What calling a value gives: an instance of a class, or a function's annotated return type. */
  private resultOf(callee: PyValue, depth: number): PyValue | undefined {
    if (callee.v === 'builtin') return callee;
    if (callee.v === 'opaque') return callee;
    if (callee.v === 'external') {
      // CapWords names are classes by Python's naming convention: their instances call their methods.
      const last = callee.path[callee.path.length - 1] ?? '';
      return /^[A-Z]/.test(last) ? { v: 'instance', of: callee, how: 'new' } : { v: 'opaque', module: callee.module };
    }
    const target = declOf(callee);
    if (!target) return undefined;
    if (target.decl.kind === 'class') return { v: 'instance', of: callee, how: 'new' };
    if (!target.decl.returns) return undefined;
    const type = this.type(target.decl.returns, { file: target.file, at: target.decl.start, deferred: false }, depth + 1);
    if (type?.v === 'builtin') return type;
    return type ? { v: 'instance', of: type, how: 'result' } : undefined;
  }
}

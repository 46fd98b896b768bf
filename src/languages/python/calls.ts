/**
 * One Python call → what it calls: functions, methods and constructors of
 * the repository (edges), something inside an installed package (an
 * external reference), nothing worth recording (built-ins), or
 * "unresolved" with the reason.
 */
import type { Strategy } from '../../model/confidence.js';
import type { CallTarget } from '../call-graph-builder.js';
import { BUILTIN_METHOD_NAMES, isBuiltinName, RECEIVER_NAMES } from './builtins.js';
import type { PyCall, PyExpr } from './facts.js';
import type { PyFile } from './project.js';
import { declOf, type Evidence, type PyPlace, type PyValue, type PyValueOracle } from './values.js';

const RECEIVER_STRATEGY: Record<Evidence, Strategy> = {
  new: 'py.receiver.new',
  declared: 'py.receiver.declared',
  result: 'py.receiver.result',
};
const IGNORE: CallTarget = { k: 'ignore' };

export class PyCallResolver {
  constructor(
    private readonly oracle: PyValueOracle,
    /** Method name → ids of every method of that name, for name-only guesses. */
    private readonly methodsByName: Map<string, string[]>,
  ) {}

  resolve(call: PyCall, file: PyFile): CallTarget {
    const place: PyPlace = { file, at: call.at, deferred: enclosingFunction(file, call.owner) >= 0 };
    const fn = call.fn;
    switch (fn.k) {
      case 'id': {
        // Code directly in a class body sees the names defined earlier in that body.
        const classMember = this.classBodyMember(file, call.owner, fn.name);
        if (classMember) return this.callValue(classMember, fn.name, 'py.local');
        const found = this.oracle.name(fn.name, place);
        if (!found) return isBuiltinName(fn.name) ? IGNORE : { k: 'unresolved', name: fn.name, reason: 'no definition of that name in scope', couldBe: 'function' };
        return this.callValue(found.value, fn.name, found.imported ? 'py.import' : 'py.local');
      }
      case 'attr':
        return this.resolveAttribute(fn.x, fn.name, place, call.owner);
      case 'call': {
        const inner = this.oracle.expr(fn, place);
        if (inner?.v === 'opaque' || inner?.v === 'builtin') return IGNORE;
        if (inner?.v === 'instance') return this.callInstance(inner, describe(fn));
        return { k: 'unresolved', name: `${describe(fn)}()`, reason: 'dynamic call: the function is the result of another call' };
      }
      case 'lambda':
      case 'super':
        return IGNORE;
      case 'dynamic':
        return { k: 'unresolved', name: '[…]', receiver: describe(fn.x), reason: 'dynamic call: the function is looked up at run time' };
      default:
        return { k: 'unresolved', name: describe(fn), reason: 'dynamic call: the function is computed' };
    }
  }

  private ids(values: PyValue[]): string[] {
    return values.flatMap((value) => {
      const target = declOf(value);
      return target ? [target.file.declIds[target.index]!] : [];
    });
  }

  private symbols(values: PyValue[], strategy: Strategy): CallTarget {
    const ids = this.ids(values);
    return ids.length > 0 ? { k: 'symbols', ids, strategy } : IGNORE;
  }

  private external(value: Extract<PyValue, { v: 'external' }>, strategy: Strategy): CallTarget {
    return { k: 'external', module: value.module, packagePath: value.packagePath, symbol: value.path.join('.'), strategy };
  }

  private callValue(value: PyValue, name: string, strategy: Strategy): CallTarget {
    switch (value.v) {
      case 'decl': {
        const { decl } = declOf(value)!;
        if (decl.kind === 'function') return this.symbols([value], strategy);
        return this.construct(value);
      }
      case 'external':
        return this.external(value, strategy);
      case 'module':
        return { k: 'unresolved', name, reason: `module ${value.file.module} is not callable` };
      case 'instance':
        return this.callInstance(value, name);
      case 'builtin':
        return IGNORE;
      case 'opaque':
        return { k: 'unresolved', name, reason: `call of a value returned by package ${value.module}` };
      case 'missing':
        return { k: 'unresolved', name, reason: value.reason === 'local value' ? 'call of a local function value' : value.reason };
    }
  }

  /** `C(…)`: C.__init__ found along the MRO, else the class itself. */
  private construct(cls: PyValue): CallTarget {
    const init = this.oracle.findMethod(cls, '__init__');
    if (init?.kind === 'decls') return this.symbols(init.targets, 'py.constructor');
    return this.symbols([cls], 'py.constructor');
  }

  /** Calling an instance calls its class's __call__. */
  private callInstance(value: Extract<PyValue, { v: 'instance' }>, name: string): CallTarget {
    const method = this.oracle.findMethod(value.of, '__call__');
    if (method?.kind === 'decls') return this.symbols(method.targets, RECEIVER_STRATEGY[value.how]);
    if (method?.kind === 'external') return this.external(method.value as Extract<PyValue, { v: 'external' }>, RECEIVER_STRATEGY[value.how]);
    return { k: 'unresolved', name, reason: 'call of an instance without __call__' };
  }

  private resolveAttribute(x: PyExpr, name: string, place: PyPlace, owner: number): CallTarget {
    if (x.k === 'super') return this.resolveSuper(name, place, owner);
    const receiver = x.k === 'id' ? this.selfClass(place.file, owner, x.name) : undefined;
    if (receiver) return this.resolveSelf(receiver, name, x);
    const base = this.oracle.expr(x, place);
    if (!base) return this.nameOnly(name, x);
    switch (base.v) {
      case 'module': {
        const attribute = this.oracle.moduleAttribute(base.file, name);
        if (!attribute || attribute.v === 'missing') {
          return { k: 'unresolved', name, receiver: describe(x), reason: `module ${base.file.module} has no attribute ${name}` };
        }
        return this.callValue(attribute, name, 'py.module');
      }
      case 'external':
        return this.external({ ...base, path: [...base.path, name] }, 'py.import');
      case 'decl': {
        const { decl } = declOf(base)!;
        if (decl.kind !== 'class') return { k: 'unresolved', name, receiver: describe(x), reason: `attribute of function ${decl.name}` };
        const found = this.oracle.findMethod(base, name);
        if (found?.kind === 'decls') {
          const target = declOf(found.targets[0])!;
          if (target.decl.kind === 'class') return this.construct(found.targets[0]!);
          return this.symbols(found.targets, found.inherited ? 'py.inherited' : 'py.class-method');
        }
        if (found?.kind === 'external') return this.external(found.value as Extract<PyValue, { v: 'external' }>, 'py.inherited');
        return { k: 'unresolved', name, receiver: describe(x), reason: `no method ${name} on class ${decl.name}`, couldBe: 'method' };
      }
      case 'instance': {
        const strategy = RECEIVER_STRATEGY[base.how];
        const found = this.oracle.findMethod(base.of, name);
        if (found?.kind === 'decls') return this.symbols(found.targets, strategy);
        if (found?.kind === 'external') return this.external(found.value as Extract<PyValue, { v: 'external' }>, strategy);
        if (this.oracle.fieldOf(base.of, name)) return { k: 'unresolved', name, receiver: describe(x), reason: 'call of a function-valued attribute' };
        return { k: 'unresolved', name, receiver: describe(x), reason: `no method ${name} on ${declOf(base.of)?.decl.name ?? 'its class'}`, couldBe: 'method' };
      }
      case 'builtin':
        return IGNORE;
      case 'opaque':
        return { k: 'unresolved', name, receiver: describe(x), reason: `method of a value returned by package ${base.module}` };
      case 'missing':
        return base.reason === 'local value' ? this.nameOnly(name, x) : { k: 'unresolved', name, receiver: describe(x), reason: base.reason };
    }
  }

  private classBodyMember(file: PyFile, owner: number, name: string): PyValue | undefined {
    if (owner < 0 || file.facts.decls[owner]!.kind !== 'class') return undefined;
    const member = file.members.get(owner)?.get(name)?.[0];
    return member === undefined ? undefined : { v: 'decl', file, index: member };
  }

  /** The class whose method `owner` is, when `name` is that method's first parameter (self, cls). */
  private selfClass(file: PyFile, owner: number, name: string): PyValue | undefined {
    const method = enclosingFunction(file, owner);
    if (method < 0) return undefined;
    const decl = file.facts.decls[method]!;
    if (decl.firstParam !== name || !RECEIVER_NAMES.has(name) || decl.decorators?.includes('@staticmethod')) return undefined;
    const cls = file.facts.decls[decl.parent];
    return cls?.kind === 'class' ? { v: 'decl', file, index: decl.parent } : undefined;
  }

  private resolveSelf(cls: PyValue, name: string, x: PyExpr): CallTarget {
    const found = this.oracle.findMethod(cls, name);
    if (found?.kind === 'decls') {
      if (declOf(found.targets[0])?.decl.kind === 'class') return this.construct(found.targets[0]!);
      return this.symbols(found.targets, found.inherited ? 'py.inherited' : 'py.self-method');
    }
    if (found?.kind === 'external') return this.external(found.value as Extract<PyValue, { v: 'external' }>, 'py.inherited');
    if (this.oracle.fieldOf(cls, name)) return { k: 'unresolved', name, receiver: describe(x), reason: 'call of a function-valued attribute' };
    return { k: 'unresolved', name, receiver: describe(x), reason: `no method ${name} on ${declOf(cls)!.decl.name} or its bases`, couldBe: 'method' };
  }

  /** `super().name()`: the next class after the method's own in its MRO. */
  private resolveSuper(name: string, place: PyPlace, owner: number): CallTarget {
    const method = enclosingFunction(place.file, owner);
    const cls = method >= 0 ? place.file.facts.decls[method]!.parent : -1;
    if (cls < 0 || place.file.facts.decls[cls]!.kind !== 'class') return { k: 'unresolved', name, receiver: 'super()', reason: 'super() outside a method' };
    const found = this.oracle.findMethod({ v: 'decl', file: place.file, index: cls }, name, 0, 1);
    if (found?.kind === 'decls') return this.symbols(found.targets, 'py.inherited');
    if (found?.kind === 'external') return this.external(found.value as Extract<PyValue, { v: 'external' }>, 'py.inherited');
    // object.__init__ and friends.
    if (name.startsWith('__') && name.endsWith('__')) return IGNORE;
    return { k: 'unresolved', name, receiver: 'super()', reason: 'no base class defines it' };
  }

  private nameOnly(name: string, x: PyExpr): CallTarget {
    const receiver = describe(x);
    // Nothing known rules out any method of that name: each counts the call among its possible callers.
    if (BUILTIN_METHOD_NAMES.has(name)) return { k: 'unresolved', name, receiver, reason: 'receiver type unknown; a built-in method name', couldBe: 'method' };
    const methods = this.methodsByName.get(name) ?? [];
    if (methods.length === 1) return { k: 'symbols', ids: methods, strategy: 'py.name-only' };
    const reason = methods.length === 0 ? 'receiver type unknown' : `receiver type unknown; ${methods.length} methods named ${name}`;
    return { k: 'unresolved', name, receiver, reason, couldBe: 'method' };
  }
}

/** The innermost function around `owner` (itself included); -1 at module or class level. */
export function enclosingFunction(file: PyFile, owner: number): number {
  let index = owner;
  while (index >= 0) {
    const decl = file.facts.decls[index]!;
    if (decl.kind === 'function') return index;
    index = decl.parent;
  }
  return -1;
}

export function describe(expression: PyExpr): string {
  switch (expression.k) {
    case 'id':
      return expression.name;
    case 'attr':
      return `${describe(expression.x)}.${expression.name}`;
    case 'call':
      return `${describe(expression.fn)}()`;
    case 'super':
      return 'super()';
    case 'dynamic':
      return `${describe(expression.x)}[…]`;
    default:
      return '…';
  }
}

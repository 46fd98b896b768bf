/**
 * One TypeScript/JavaScript call → what it calls: declarations of the
 * repository (edges), a thing inside a package (an external reference),
 * nothing worth recording (built-ins, test framework globals), or
 * "unresolved" with the reason.
 */
import type { Strategy } from '../../model/confidence.js';
import type { CallTarget } from '../call-graph-builder.js';
import { describe, rootName } from './describe.js';
import type { Expr, TsCall } from './facts.js';
import { BUILTIN_METHOD_NAMES, GLOBAL_NAMES } from './globals.js';
import type { TsFile } from './project.js';
import { declOf, type Evidence, type Place, type Value, type ValueOracle } from './values.js';

const RECEIVER_STRATEGY: Record<Evidence, Strategy> = {
  new: 'ts.receiver.new',
  declared: 'ts.receiver.declared',
  result: 'ts.receiver.result',
};

/** Past this many implementations an interface call names only the interface method. */
const MAX_IMPLEMENTATIONS = 12;
const IGNORE: CallTarget = { k: 'ignore' };

export class CallResolver {
  private implementers: Map<string, Value[]> | undefined;

  constructor(
    private readonly files: Map<string, TsFile>,
    private readonly oracle: ValueOracle,
    /** Method name → ids of every concrete method of that name, for name-only guesses. */
    private readonly methodsByName: Map<string, string[]>,
  ) {}

  resolve(call: TsCall, file: TsFile): CallTarget {
    const place: Place = { file, at: call.at };
    if (call.isNew) return this.resolveNew(call.fn, place);
    const fn = call.fn;
    switch (fn.k) {
      case 'id': {
        const found = this.oracle.name(fn.name, place);
        if (!found) {
          return GLOBAL_NAMES.has(fn.name) ? IGNORE : { k: 'unresolved', name: fn.name, reason: 'no declaration of that name in scope', couldBe: 'function' };
        }
        return this.callValue(found.value, fn.name, found.imported ? 'ts.import' : 'ts.local');
      }
      case 'member':
        // f.call(…) and f.apply(…) call f; f.bind(…) only makes a function that will (no call here).
        if (fn.name === 'call' || fn.name === 'apply' || fn.name === 'bind') {
          const inner = this.resolve({ ...call, fn: fn.x }, file);
          if (fn.name === 'bind' && inner.k === 'symbols') return IGNORE;
          if (inner.k !== 'unresolved' || fn.x.k !== 'member') return inner;
        }
        return this.resolveMember(fn.x, fn.name, place, call.owner);
      case 'super':
        return this.resolveSuperConstructor(place, call.owner);
      case 'func':
        return IGNORE;
      case 'dynamic':
        return { k: 'unresolved', name: '[…]', receiver: describe(fn.x), reason: 'dynamic call: the member is computed at run time' };
      case 'call': {
        // `it.each(table)(…)`, `express()()`: the first call is recorded; what it returns is the package's.
        const inner = this.oracle.expr(fn, place);
        const root = rootName(fn);
        if (inner?.v === 'opaque' || inner?.v === 'builtin' || (root && GLOBAL_NAMES.has(root) && !this.oracle.name(root, place))) return IGNORE;
        return { k: 'unresolved', name: `${describe(fn)}()`, reason: 'dynamic call: the function is the result of another call' };
      }
      default:
        return { k: 'unresolved', name: describe(fn), reason: 'dynamic call: the function is computed' };
    }
  }

  private ids(value: Value): string[] {
    const target = declOf(value);
    const id = target ? target.file.declIds[target.index] : undefined;
    return id ? [id] : [];
  }

  private symbols(values: Value[], strategy: Strategy): CallTarget {
    const ids = values.flatMap((value) => this.ids(value));
    return ids.length > 0 ? { k: 'symbols', ids, strategy } : IGNORE;
  }

  private external(value: Extract<Value, { v: 'external' }>, strategy: Strategy): CallTarget {
    return { k: 'external', module: value.module, packagePath: value.packagePath, symbol: value.path.join('.') || 'default', strategy };
  }

  /** Calling a value found by name. */
  private callValue(value: Value, name: string, strategy: Strategy): CallTarget {
    switch (value.v) {
      case 'decl': {
        const { decl } = declOf(value)!;
        if (decl.kind === 'function' || decl.kind === 'method') return this.symbols([value], strategy);
        if (decl.kind === 'class') return { k: 'unresolved', name, reason: 'class called without new' };
        return { k: 'unresolved', name, reason: `${decl.kind} ${decl.name} is not a function` };
      }
      case 'module': {
        const exported = this.oracle.exportOf(value.file, 'default');
        if (exported && exported.v !== 'module') return this.callValue(exported, name, strategy);
        return { k: 'unresolved', name, reason: `${value.file.path} has no callable default export` };
      }
      case 'external':
        return this.external(value, strategy);
      case 'instance':
        return { k: 'unresolved', name, reason: 'call of a value that is not a function declaration' };
      case 'builtin':
        return IGNORE;
      case 'opaque':
        return { k: 'unresolved', name, reason: `call of a value returned by package ${value.module}` };
      case 'missing':
        return { k: 'unresolved', name, reason: value.reason === 'local value' ? 'call of a local function value' : value.reason };
    }
  }

  private resolveMember(x: Expr, name: string, place: Place, owner: number): CallTarget {
    if (x.k === 'this' || x.k === 'super') return this.resolveThis(x.k, name, place, owner);
    const base = this.oracle.expr(x, place);
    if (!base) {
      const root = rootName(x);
      if (root && GLOBAL_NAMES.has(root) && !this.oracle.name(root, place)) return IGNORE;
      return this.nameOnly(name, x);
    }
    switch (base.v) {
      case 'module': {
        const exported = this.oracle.exportOf(base.file, name);
        if (!exported) return { k: 'unresolved', name, receiver: describe(x), reason: `${base.file.path} has no export ${name}` };
        return this.callValue(exported, name, 'ts.namespace');
      }
      case 'external':
        return this.external({ ...base, path: [...base.path, name] }, 'ts.import');
      case 'decl': {
        const { decl, file, index } = declOf(base)!;
        if (decl.kind === 'class') {
          const found = this.oracle.findMember(base, name, true);
          if (found?.kind === 'decls') return this.symbols(found.targets, found.inherited ? 'ts.inherited' : 'ts.member');
          if (found?.kind === 'external') return this.external(found.value as Extract<Value, { v: 'external' }>, 'ts.inherited');
          return { k: 'unresolved', name, receiver: describe(x), reason: `no static method ${name} on class ${decl.name}` };
        }
        const members = (file.members.get(index)?.get(name) ?? []).map((member): Value => ({ v: 'decl', file, index: member }));
        const callable = members.filter((member) => /^(function|method)$/.test(declOf(member)!.decl.kind));
        if (callable.length > 0) return this.symbols(callable, decl.kind === 'namespace' ? 'ts.namespace' : 'ts.member');
        return { k: 'unresolved', name, receiver: describe(x), reason: `no function ${name} in ${decl.kind} ${decl.name}` };
      }
      case 'instance':
        return this.resolveInstance(base, name, x);
      case 'builtin':
        return IGNORE;
      case 'opaque':
        return { k: 'unresolved', name, receiver: describe(x), reason: `method of a value returned by package ${base.module}` };
      case 'missing':
        return base.reason === 'local value' ? this.nameOnly(name, x) : { k: 'unresolved', name, receiver: describe(x), reason: base.reason };
    }
  }

  private resolveInstance(base: Extract<Value, { v: 'instance' }>, name: string, x: Expr): CallTarget {
    const strategy = RECEIVER_STRATEGY[base.how];
    const found = this.oracle.findMember(base.of, name, false);
    if (found?.kind === 'external') return this.external(found.value as Extract<Value, { v: 'external' }>, strategy);
    if (found?.kind === 'decls') {
      const owner = declOf(found.targets[0]);
      const ownerDecl = owner ? owner.file.facts.decls[owner.decl.parent] : undefined;
      if (ownerDecl?.kind === 'interface' || ownerDecl?.kind === 'type') return this.interfaceCall(found.targets, base.of, name);
      return this.symbols(found.targets, strategy);
    }
    const type = declOf(base.of)?.decl;
    if (this.oracle.member(base, name)) return { k: 'unresolved', name, receiver: describe(x), reason: 'call of a function-valued field' };
    return { k: 'unresolved', name, receiver: describe(x), reason: `no method ${name} on ${type?.name ?? 'its type'}`, couldBe: 'method' };
  }

  private resolveThis(kind: 'this' | 'super', name: string, place: Place, owner: number): CallTarget {
    const enclosing = this.oracle.thisAt(place, owner);
    if (!enclosing) return this.nameOnly(name, { k: kind });
    const ownerDecl = owner >= 0 ? place.file.facts.decls[owner] : undefined;
    const wantStatic = Boolean(ownerDecl?.static);
    let start: Value | undefined = enclosing;
    if (kind === 'super') {
      const { decl, file } = declOf(enclosing)!;
      const parent = decl.extends?.[0];
      start = parent ? this.oracle.expr(parent, { file, at: decl.start }) : undefined;
      if (start?.v === 'instance') start = start.of;
      if (!start) return { k: 'unresolved', name, receiver: 'super', reason: 'base class unknown' };
    }
    const found = this.oracle.findMember(start, name, wantStatic);
    const inherited = kind === 'super' || Boolean(found?.inherited);
    if (found?.kind === 'decls') return this.symbols(found.targets, inherited ? 'ts.inherited' : 'ts.this-method');
    if (found?.kind === 'external') return this.external(found.value as Extract<Value, { v: 'external' }>, 'ts.inherited');
    if (this.oracle.member({ v: 'instance', of: enclosing, how: 'new' }, name)) {
      return { k: 'unresolved', name, receiver: kind, reason: 'call of a function-valued field' };
    }
    return { k: 'unresolved', name, receiver: kind, reason: `no method ${name} on ${declOf(enclosing)!.decl.name} or its base classes`, couldBe: 'method' };
  }

  private resolveNew(fn: Expr, place: Place): CallTarget {
    const callee = this.oracle.expr(fn, place);
    const written = describe(fn);
    if (!callee) {
      const root = rootName(fn);
      return root && GLOBAL_NAMES.has(root) ? IGNORE : { k: 'unresolved', name: written, reason: 'class unknown' };
    }
    let target: Value = callee;
    if (callee.v === 'module') target = this.oracle.exportOf(callee.file, 'default') ?? callee;
    if (target.v === 'external') return this.external(target, 'ts.new');
    const found = declOf(target);
    if (found?.decl.kind === 'class') {
      const constructor = this.oracle.findMember(target, 'constructor', false);
      if (constructor?.kind === 'decls') return this.symbols(constructor.targets, 'ts.new');
      if (constructor?.kind === 'external') return this.symbols([target], 'ts.new');
      return this.symbols([target], 'ts.new');
    }
    if (found?.decl.kind === 'function') return this.symbols([target], 'ts.new');
    return { k: 'unresolved', name: written, reason: target.v === 'missing' && target.reason !== 'local value' ? target.reason : 'class unknown' };
  }

  /** `super(…)` in a constructor: the base class's constructor. */
  private resolveSuperConstructor(place: Place, owner: number): CallTarget {
    const enclosing = this.oracle.thisAt(place, owner);
    const target = declOf(enclosing);
    const parent = target?.decl.extends?.[0];
    if (!target || !parent) return { k: 'unresolved', name: 'super', reason: 'base class unknown' };
    const base = this.oracle.expr(parent, { file: target.file, at: target.decl.start });
    if (!base) return IGNORE;
    if (base.v === 'external') return this.external(base, 'ts.inherited');
    const constructor = base.v === 'decl' ? this.oracle.findMember(base, 'constructor', false) : undefined;
    if (constructor?.kind === 'decls') return this.symbols(constructor.targets, 'ts.inherited');
    if (constructor?.kind === 'external') return this.external(constructor.value as Extract<Value, { v: 'external' }>, 'ts.inherited');
    return IGNORE;
  }

  /** A method of an interface: the interface's method and the classes that declare they implement it. */
  private interfaceCall(targets: Value[], iface: Value, name: string): CallTarget {
    const values = [...targets];
    const implementers = this.implementersOf(iface);
    if (implementers.length <= MAX_IMPLEMENTATIONS) {
      for (const implementer of implementers) {
        const found = this.oracle.findMember(implementer, name, false);
        if (found?.kind === 'decls') values.push(...found.targets);
      }
    }
    return this.symbols(values, 'ts.interface');
  }

  private implementersOf(iface: Value): Value[] {
    if (!this.implementers) {
      this.implementers = new Map();
      // Each file's heritage is read with caches of its own, so the answer is the same whichever call asked first.
      const oracle = this.oracle.detached();
      for (const file of this.files.values()) {
        oracle.forgetCaches();
        file.facts.decls.forEach((decl, index) => {
          if (decl.kind !== 'class') return;
          for (const ref of decl.implements ?? []) {
            const type = declOf(oracle.type(ref, { file, at: decl.start }));
            const key = type ? type.file.declIds[type.index] : undefined;
            if (!key) continue;
            const list = this.implementers!.get(key);
            const value: Value = { v: 'decl', file, index };
            if (list) list.push(value);
            else this.implementers!.set(key, [value]);
          }
        });
      }
    }
    const key = this.ids(iface)[0];
    return key ? (this.implementers.get(key) ?? []) : [];
  }

  /** The receiver's type is unknown: guess by name when exactly one method in the repository has it. */
  private nameOnly(name: string, x: Expr): CallTarget {
    const receiver = describe(x);
    // Nothing known rules out any method of that name: each counts the call among its possible callers.
    if (BUILTIN_METHOD_NAMES.has(name)) return { k: 'unresolved', name, receiver, reason: 'receiver type unknown; a built-in method name', couldBe: 'method' };
    const methods = this.methodsByName.get(name) ?? [];
    if (methods.length === 1) return { k: 'symbols', ids: methods, strategy: 'ts.name-only' };
    const reason = methods.length === 0 ? 'receiver type unknown' : `receiver type unknown; ${methods.length} methods named ${name}`;
    return { k: 'unresolved', name, receiver, reason, couldBe: 'method' };
  }
}

/**
 * One Go call → what it calls: symbols of the repository (edges), a symbol of
 * another module (an external reference), nothing worth recording (builtins,
 * conversions), or "unresolved" with the reason.
 */
import type { Strategy } from '../../model/confidence.js';
import type { PossibleTarget } from '../../model/graph.js';
import type { Expr, GoCall } from './facts.js';
import { TESTIFY_SUITE, type FileInfo, type FuncInfo, type PackageIndex, type TypeInfo, type VarInfo } from './packages.js';
import { isBuiltinType, type Evidence, type MethodLookup, type Place, type TypeOracle } from './types.js';

export type CallTarget =
  | { k: 'symbols'; ids: string[]; strategy: Strategy }
  | { k: 'external'; pkgPath: string; symbol: string; strategy: Strategy }
  | { k: 'ignore' }
  | { k: 'unresolved'; name: string; receiver?: string; reason: string; couldBe?: PossibleTarget };

const BUILTIN_FUNCS = new Set([
  'append', 'cap', 'clear', 'close', 'complex', 'copy', 'delete', 'imag', 'len', 'make', 'max', 'min', 'new',
  'panic', 'print', 'println', 'real', 'recover',
]);

const METHOD_STRATEGY: Record<Evidence, Strategy> = {
  literal: 'go.method.literal',
  declared: 'go.method.declared',
  result: 'go.method.result',
};

/** Limit for interface dispatch: past this many implementations the call names only the interface method. */
const MAX_IMPLEMENTATIONS = 12;

export class CallResolver {
  /** Interface → the types that implement it, by declaration number (its TypeInfo may be made again: PackageInfo). */
  private readonly implementationsCache = new Map<number, number[]>();

  constructor(
    private readonly index: PackageIndex,
    private readonly oracle: TypeOracle,
  ) {}

  resolve(call: GoCall, file: FileInfo): CallTarget[] {
    const place: Place = { file, at: call.at };
    const fn = call.fn.k === 'index' ? call.fn.x : call.fn;
    const suite = this.suiteRun(call, fn, place);
    if (suite) return suite;
    switch (fn.k) {
      case 'id':
        return [this.resolveName(fn.name, place)];
      case 'sel':
        return this.resolveSelector(fn.x, fn.name, place);
      case 'funclit':
      case 'conv':
        return [{ k: 'ignore' }];
      default:
        return [{ k: 'unresolved', name: describe(fn), reason: 'dynamic call: the function is computed' }];
    }
  }

  /**
   * `suite.Run(t, new(S))` runs every `Test…` method of S by reflection: the
   * call reaches them, which is what makes them reachable from `go test`.
   */
  private suiteRun(call: GoCall, fn: Expr, place: Place): CallTarget[] | undefined {
    if (!call.args || fn.k !== 'sel' || fn.name !== 'Run' || fn.x.k !== 'id') return undefined;
    if (!this.oracle.isPackageName(fn.x.name, place) || place.file.imports.get(fn.x.name) !== TESTIFY_SUITE) return undefined;
    const suiteArgument = call.args[1];
    const typed = suiteArgument ? this.oracle.typeOf(suiteArgument, place) : undefined;
    const base = typed?.type.t === 'ptr' ? typed.type.elem : typed?.type;
    const targets: CallTarget[] = [{ k: 'external', pkgPath: TESTIFY_SUITE, symbol: 'Run', strategy: 'go.import' }];
    if (base?.t === 'named') {
      const ids = [...base.type.methods.entries()]
        .filter(([name]) => /^Test/.test(name))
        .flatMap(([, methods]) => methods.map((method) => method.id));
      if (ids.length > 0) targets.push({ k: 'symbols', ids, strategy: 'go.testify-suite' });
    }
    return targets;
  }

  private resolveName(name: string, place: Place): CallTarget {
    if (this.oracle.binding(place, name)) {
      return { k: 'unresolved', name, reason: 'call of a local function value' };
    }
    const pkg = place.file.pkg;
    const funcs = pkg.funcs.get(name);
    if (funcs) return { k: 'symbols', ids: pickAlternatives(funcs, place.file), strategy: 'go.same-package' };
    const variable = pkg.vars.get(name);
    if (variable) return this.funcValue(variable, name, place.file) ?? { k: 'unresolved', name, reason: 'call of a package-level function value' };
    if (pkg.types.has(name) || isBuiltinType(name) || BUILTIN_FUNCS.has(name)) return { k: 'ignore' };
    for (const path of place.file.dotImports) {
      const imported = this.index.byImportPath.get(path);
      if (imported) {
        const dotted = imported.funcs.get(name);
        if (dotted) return { k: 'symbols', ids: pickAlternatives(dotted, place.file), strategy: 'go.import' };
        if (imported.types.has(name)) return { k: 'ignore' };
      }
    }
    if (place.file.dotImports.some((path) => !this.index.byImportPath.has(path))) {
      const external = place.file.dotImports.find((path) => !this.index.byImportPath.has(path))!;
      return { k: 'external', pkgPath: external, symbol: name, strategy: 'go.import' };
    }
    return { k: 'unresolved', name, reason: 'no function of that name in the package' };
  }

  private resolveSelector(x: Expr, name: string, place: Place): CallTarget[] {
    if (x.k === 'id' && this.oracle.isPackageName(x.name, place)) {
      return [this.resolveQualified(place.file.imports.get(x.name)!, name)];
    }
    // A method expression: `T.Method(recv)` or `(*T).Method(recv)`.
    if (x.k === 'id' && !this.oracle.binding(place, x.name) && place.file.pkg.types.has(x.name)) {
      const type = place.file.pkg.types.get(x.name)!;
      const methods = type.methods.get(name);
      if (methods) return [{ k: 'symbols', ids: pickAlternatives(methods, place.file), strategy: 'go.method.declared' }];
    }
    const receiver = this.oracle.typeOf(x, place);
    if (receiver) {
      const lookup = this.oracle.findMethod(receiver.type, name);
      if (lookup) return this.fromLookup(lookup, name, receiver.how, place.file, x);
      if (this.oracle.fieldType(receiver.type, name)) {
        return [{ k: 'unresolved', name, receiver: describe(x), reason: 'call of a function-valued field' }];
      }
    }
    return [this.nameOnly(name, x)];
  }

  private resolveQualified(importPath: string, name: string): CallTarget {
    const pkg = this.index.byImportPath.get(importPath);
    if (!pkg) return { k: 'external', pkgPath: importPath, symbol: name, strategy: 'go.import' };
    const funcs = pkg.funcs.get(name);
    if (funcs) return { k: 'symbols', ids: funcs.map((f) => f.id), strategy: 'go.import' };
    if (pkg.types.has(name)) return { k: 'ignore' };
    const variable = pkg.vars.get(name);
    if (variable) {
      return this.funcValue(variable, name) ?? { k: 'unresolved', name, reason: `call of the function value ${pkg.name}.${name}` };
    }
    return { k: 'unresolved', name, reason: `no function ${name} in package ${importPath}` };
  }

  /**
   * A package-level variable initialised with a function — `var Hook = hook`
   * or `var RunningInUserNS = userns.RunningInUserNS` — calls that function
   * unless something assigns it again, which the strategy's measured
   * confidence accounts for.
   */
  private funcValue(variable: VarInfo, name: string, from?: FileInfo): CallTarget | undefined {
    void name;
    const value = variable.variable.value;
    const declaredIn = variable.file;
    let funcs: readonly FuncInfo[] | undefined;
    if (value?.k === 'id') funcs = declaredIn.pkg.funcs.get(value.name);
    else if (value?.k === 'sel' && value.x.k === 'id' && this.oracle.isPackageName(value.x.name, { file: declaredIn, at: -1 })) {
      const importPath = declaredIn.imports.get(value.x.name)!;
      const pkg = this.index.byImportPath.get(importPath);
      if (!pkg) return { k: 'external', pkgPath: importPath, symbol: value.name, strategy: 'go.func-value' };
      funcs = pkg.funcs.get(value.name);
    }
    if (!funcs) return undefined;
    return { k: 'symbols', ids: from ? pickAlternatives(funcs, from) : funcs.map((fn) => fn.id), strategy: 'go.func-value' };
  }

  private fromLookup(lookup: MethodLookup, name: string, how: Evidence, file: FileInfo, receiver: Expr): CallTarget[] {
    switch (lookup.kind) {
      case 'methods':
        return [
          {
            k: 'symbols',
            ids: pickAlternatives(lookup.targets, file),
            strategy: lookup.promoted ? 'go.method.embedded' : METHOD_STRATEGY[how],
          },
        ];
      case 'interface': {
        const ids = [lookup.methodId];
        const implementations = this.implementations(lookup.type);
        if (implementations.length <= MAX_IMPLEMENTATIONS) {
          for (const implementation of implementations) {
            for (const method of this.index.methodOwners.methods(name, implementation)) ids.push(this.index.numbers.func(method).id);
          }
        }
        return [{ k: 'symbols', ids, strategy: 'go.interface' }];
      }
      case 'external':
        return [
          {
            k: 'external',
            pkgPath: lookup.pkgPath,
            symbol: `${lookup.typeName}.${name}`,
            strategy: lookup.promoted ? 'go.method.embedded' : METHOD_STRATEGY[how],
          },
        ];
      case 'foreign':
        return [{ k: 'unresolved', name, receiver: describe(receiver), reason: `method of a value from ${lookup.pkgPath} whose type is not known here` }];
      case 'builtin':
        return [{ k: 'ignore' }];
    }
  }

  /**
   * Repository types whose declared methods cover every method of the
   * interface with matching signatures (parameter and result counts, and
   * types where both sides are known).
   */
  private implementations(iface: TypeInfo): number[] {
    const cached = this.implementationsCache.get(iface.number);
    if (cached) return cached;
    const { methodOwners, numbers } = this.index;
    const methods = this.oracle.interfaceMethods(iface);
    let candidates: number[] | undefined;
    for (const { method, owner } of methods) {
      // The types with a method of that name whose signature matches, each once, in one pass over the pairs (a
      // type's own list per owner would be quadratic where thousands of types declare the name).
      const owners = new Set<number>();
      methodOwners.forEach(method.name, (type, fn) => {
        if (!owners.has(type) && this.oracle.signatureMatches(method, owner, numbers.func(fn))) owners.add(type);
      });
      candidates = candidates ? candidates.filter((type) => owners.has(type)) : [...owners];
      if (candidates.length === 0) break;
    }
    const result = (candidates ?? []).filter((type) => numbers.head(type).kind !== 'interface');
    this.implementationsCache.set(iface.number, result);
    return result;
  }

  /** The receiver's type is unknown: guess by name when exactly one method in the repository has it. */
  private nameOnly(name: string, x: Expr): CallTarget {
    const { methodOwners, numbers } = this.index;
    const count = methodOwners.count(name);
    if (count === 1) return { k: 'symbols', ids: [numbers.func(methodOwners.methods(name)[0]!).id], strategy: 'go.name-only' };
    const reason = count === 0 ? 'receiver type unknown' : `receiver type unknown; ${count} methods named ${name}`;
    // Nothing known rules out any method of that name: each counts this call as a possible caller.
    return { k: 'unresolved', name, receiver: describe(x), reason, couldBe: 'method' };
  }
}

/**
 * Of several declarations of one name (build-tagged files), those a file can
 * see: the ones for the caller's platform when that narrows the choice, else
 * all of them, so the page lists the alternatives.
 */
function pickAlternatives(funcs: readonly FuncInfo[], from: FileInfo): string[] {
  if (funcs.length === 1) return [funcs[0]!.id];
  if (from.platformTags.size > 0) {
    const matching = funcs.filter(
      (fn) => fn.file.platformTags.size === 0 || [...fn.file.platformTags].some((tag) => from.platformTags.has(tag)),
    );
    if (matching.length > 0) return matching.map((fn) => fn.id);
  }
  return funcs.map((fn) => fn.id);
}

/** The receiver expression written back as text, for unresolved calls: `r.container`, `f()`. */
export function describe(expr: Expr): string {
  switch (expr.k) {
    case 'id':
      return expr.name;
    case 'sel':
      return `${describe(expr.x)}.${expr.name}`;
    case 'call':
      return `${describe(expr.fn)}()`;
    case 'index':
      return `${describe(expr.x)}[…]`;
    case 'addr':
      return `&${describe(expr.x)}`;
    case 'deref':
      return `*${describe(expr.x)}`;
    case 'lit':
      return 'T{…}';
    default:
      return '…';
  }
}

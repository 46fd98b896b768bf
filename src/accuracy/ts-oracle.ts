/**
 * The TypeScript/JavaScript oracle: the TypeScript compiler's type checker
 * (the `typescript` package) resolves every call and `new` of a project's
 * sources, following import aliases, and names what it calls.
 *
 * - A function, method, constructor or class (for `new` of a class with no
 *   constructor of its own) declared in the project: `static`, its
 *   declarations (all of them: overloads, merged declarations) acceptable.
 * - A method of an interface, of an object type alias or an abstract method:
 *   `interface`, with every method of that name of a class assignable to the
 *   type, or declaring it in its heritage (assignability misses generic
 *   types), as an acceptable implementation; and, when the receiver is a
 *   `const` bound to an object literal, that literal's own method.
 * - `f.call(…)` and `f.apply(…)`: a call of f.
 * - Parameters, fields and other values of function type, `any`: `dynamic`.
 * - Declarations outside the project (lib files, packages): external.
 *
 * Call sites follow graphhub's convention (the called name; columns in
 * UTF-16 code units, as tree-sitter's Node binding counts them). Callers are not named: the site decides the call, and
 * graphhub's attribution of code in nested functions to declarations is a
 * modelling choice rather than a resolution result (see `matching`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { End, OracleCall, OracleRun } from './oracle-records.js';

const SOURCE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const DECLARATION_FILE = /\.d\.(ts|mts|cts)$/;

export function runTsOracle(root: string): OracleRun {
  const files = listSources(root);
  const program = ts.createProgram(files, {
    customConditions: sourceConditions(root),
    allowJs: true,
    checkJs: false,
    noEmit: true,
    target: ts.ScriptTarget.ESNext,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    allowImportingTsExtensions: true,
    resolveJsonModule: true,
    skipLibCheck: true,
    jsx: ts.JsxEmit.Preserve,
    types: [],
    experimentalDecorators: true,
  });
  const checker = program.getTypeChecker();
  const own = new Set(files);
  const oracle = new TsOracle(root, checker, program, own);
  const run: OracleRun = { units: [], calls: [] };
  run.units.push({
    record: 'package',
    dir: '.',
    importPath: '',
    test: false,
    files: files.map((file) => oracle.rel(file)),
    status: 'ok',
  });
  for (const file of files) {
    const source = program.getSourceFile(file);
    if (source) oracle.walk(source, run.calls);
  }
  return run;
}

/**
 * Export conditions a package uses to point at its own TypeScript sources
 * (zod's `"@zod/source": "./src/v3/index.ts"`): with them the checker
 * resolves the package's imports of itself to the sources being measured,
 * as graphhub does, rather than to build output that is not there.
 */
function sourceConditions(root: string): string[] {
  const conditions = new Set<string>();
  const visit = (value: unknown): void => {
    if (!value || typeof value !== 'object') return;
    for (const [key, target] of Object.entries(value as Record<string, unknown>)) {
      if (typeof target === 'string' && /\.(ts|tsx|mts|cts)$/.test(target) && !DECLARATION_FILE.test(target) && !key.startsWith('.')) conditions.add(key);
      else visit(target);
    }
  };
  for (const file of listFiles(root, (name) => name === 'package.json')) {
    try {
      visit((JSON.parse(readFileSync(file, 'utf8')) as { exports?: unknown }).exports);
    } catch {
      // an unreadable manifest gives no conditions
    }
  }
  return [...conditions];
}

function listSources(root: string): string[] {
  return listFiles(root, (name) => SOURCE.test(name) && !DECLARATION_FILE.test(name));
}

function listFiles(root: string, wanted: (name: string) => boolean): string[] {
  const found: string[] = [];
  const visit = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const path = join(directory, name);
      const stat = statSync(path);
      if (stat.isDirectory()) visit(path);
      else if (wanted(name)) found.push(path);
    }
  };
  visit(root);
  return found;
}

class TsOracle {
  private readonly implementations = new Map<string, End[]>();
  private classes: ts.ClassLikeDeclaration[] | undefined;

  constructor(
    private readonly root: string,
    private readonly checker: ts.TypeChecker,
    private readonly program: ts.Program,
    private readonly own: Set<string>,
  ) {}

  rel(file: string): string {
    return relative(this.root, file).split('\\').join('/');
  }

  walk(source: ts.SourceFile, out: OracleCall[]): void {
    const file = this.rel(source.fileName);
    const visit = (node: ts.Node): void => {
      // A tagged template calls its tag: graphhub (tree-sitter) sees a call there too.
      if (ts.isCallExpression(node) || ts.isNewExpression(node) || ts.isTaggedTemplateExpression(node)) {
        const record = this.call(node, source, file);
        if (record) out.push(record);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }

  private call(node: Invocation, source: ts.SourceFile, file: string): OracleCall | undefined {
    const callee = calleeOf(node);
    if (ts.isCallExpression(node) && callee.kind === ts.SyntaxKind.ImportKeyword) return undefined;
    if (ts.isCallExpression(node) && ts.isIdentifier(callee) && callee.text === 'require' && node.arguments.length === 1) return undefined;
    const siteNode = siteOf(callee);
    const start = siteNode.getStart(source);
    // Columns in UTF-16 code units, plus one: what tree-sitter's Node binding reports to graphhub.
    const { line, character } = source.getLineAndCharacterOfPosition(start);
    const record: OracleCall = { record: 'call', kind: 'dynamic', caller: { file, name: '', line: 0 }, site: { file, line: line + 1, col: character + 1 } };
    this.classify(node, record);
    return record;
  }

  private classify(node: Invocation, record: OracleCall): void {
    const expression = skipOuter(calleeOf(node));
    if (ts.isNewExpression(node) || (ts.isCallExpression(node) && expression.kind === ts.SyntaxKind.SuperKeyword)) {
      this.construct(node, record);
      return;
    }
    const target = ts.isPropertyAccessExpression(expression) || ts.isElementAccessExpression(expression) ? accessName(expression) : expression;
    let symbol = target ? this.checker.getSymbolAtLocation(target) : undefined;
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    // `f.call(…)` and `f.apply(…)` (the runtime's Function methods) call f.
    if (ts.isPropertyAccessExpression(expression) && (symbol?.name === 'call' || symbol?.name === 'apply') && symbol.declarations?.every((declaration) => !this.isOwn(declaration))) {
      const inner = skipOuter(expression.expression);
      const callee = ts.isPropertyAccessExpression(inner) || ts.isElementAccessExpression(inner) ? accessName(inner) : inner;
      let innerSymbol = callee ? this.checker.getSymbolAtLocation(callee) : undefined;
      if (innerSymbol && innerSymbol.flags & ts.SymbolFlags.Alias) innerSymbol = this.checker.getAliasedSymbol(innerSymbol);
      if (innerSymbol?.declarations?.some((declaration) => this.isOwn(declaration))) symbol = innerSymbol;
    }
    const declarations = symbol?.declarations ?? [];
    if (declarations.length === 0) return; // any, unknown or computed: dynamic
    if (!declarations.some((declaration) => this.isOwn(declaration))) {
      record.kind = 'static';
      record.external = `${declarations[0]!.getSourceFile().fileName.split('/').slice(-2).join('/')} ${symbol!.name}`;
      return;
    }
    const abstract = declarations.filter((declaration) => isAbstractMember(declaration));
    if (abstract.length > 0) {
      record.kind = 'interface';
      const named = abstract.filter((declaration) => hasNamedOwner(declaration));
      const ends = named.map((declaration) => this.endOf(declaration)).filter((end): end is End => end !== undefined);
      if (ends[0]) record.callee = ends[0];
      record.alternatives = [...ends.slice(1), ...this.implementationsOf(abstract[0]!, symbol!.name)];
      const literal = ts.isPropertyAccessExpression(expression) ? this.constObjectMember(expression.expression, symbol!.name) : undefined;
      if (literal) record.alternatives.push(literal);
      return;
    }
    const functions = declarations.filter((declaration) => isFunctionLike(declaration));
    if (functions.length === 0) {
      const value = declarations.map((declaration) => constFunctionValue(declaration, this.checker)).find((found) => found !== undefined);
      if (value && this.isOwn(value)) {
        record.kind = 'funcvalue';
        record.callee = this.endOf(value);
      }
      return;
    }
    const ends = functions.filter((declaration) => this.isOwn(declaration)).map((declaration) => this.endOf(declaration)).filter((end): end is End => end !== undefined);
    if (ends.length === 0) return;
    record.kind = 'static';
    record.callee = ends[0]!;
    if (ends.length > 1) record.alternatives = ends.slice(1);
  }

  /** `new C(…)` and `super(…)`: the constructor the checker picks, or the class itself when it has none of its own. */
  private construct(node: ts.CallExpression | ts.NewExpression, record: OracleCall): void {
    const signature = this.checker.getResolvedSignature(node);
    const declaration = signature?.declaration;
    if (declaration && ts.isConstructorDeclaration(declaration)) {
      if (!this.isOwn(declaration)) {
        record.kind = 'static';
        record.external = `${declaration.getSourceFile().fileName.split('/').slice(-2).join('/')} constructor`;
        return;
      }
      record.kind = 'static';
      record.callee = this.endOf(declaration);
      // graphhub may name the class for an implicit or a base constructor.
      const owner = declaration.parent;
      const ownerEnd = owner && ts.isClassLike(owner) ? this.endOf(owner) : undefined;
      if (ownerEnd) record.alternatives = [ownerEnd];
      return;
    }
    let symbol = this.checker.getSymbolAtLocation(skipOuter(node.expression));
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const classDeclaration = symbol?.declarations?.find((candidate) => ts.isClassLike(candidate) || ts.isFunctionLike(candidate));
    if (!classDeclaration) return;
    if (!this.isOwn(classDeclaration)) {
      record.kind = 'static';
      record.external = `${classDeclaration.getSourceFile().fileName.split('/').slice(-2).join('/')} ${symbol!.name}`;
      return;
    }
    record.kind = 'static';
    record.callee = this.endOf(classDeclaration);
    // An inherited constructor is called too.
    const inherited = ts.isClassLike(classDeclaration) ? this.inheritedConstructor(classDeclaration) : undefined;
    if (inherited) record.alternatives = [inherited];
  }

  private inheritedConstructor(declaration: ts.ClassLikeDeclaration): End | undefined {
    const type = this.checker.getTypeAtLocation(declaration);
    for (const base of type.getBaseTypes?.() ?? []) {
      const constructor = base.getSymbol()?.declarations?.flatMap((decl) => (ts.isClassLike(decl) ? decl.members.filter(ts.isConstructorDeclaration) : []))[0];
      if (constructor && this.isOwn(constructor)) return this.endOf(constructor);
    }
    return undefined;
  }

  /** Methods of that name of the project's classes whose instances are assignable to the type declaring the abstract member. */
  private implementationsOf(member: ts.Declaration, name: string): End[] {
    const owner = member.parent;
    const ownerType = ts.isClassLike(owner) || ts.isInterfaceDeclaration(owner) || ts.isTypeLiteralNode(owner)
      ? ts.isClassLike(owner) && owner.name
        ? this.checker.getDeclaredTypeOfSymbol(this.checker.getSymbolAtLocation(owner.name)!)
        : this.checker.getTypeAtLocation(owner)
      : undefined;
    if (!ownerType) return [];
    const key = `${member.getSourceFile().fileName}:${member.pos}:${name}`;
    const cached = this.implementations.get(key);
    if (cached) return cached;
    const ends: End[] = [];
    const ownerSymbols = new Set([ownerType.getSymbol(), ownerType.aliasSymbol].filter((symbol): symbol is ts.Symbol => symbol !== undefined));
    for (const candidate of this.allClasses()) {
      if (candidate === owner || !candidate.name) continue;
      const classSymbol = this.checker.getSymbolAtLocation(candidate.name);
      if (!classSymbol) continue;
      const instance = this.checker.getDeclaredTypeOfSymbol(classSymbol);
      // Assignability misses a generic type (`Observer<T>` with T unbound); a class declaring it is its implementation all the same.
      if (!this.checker.isTypeAssignableTo(instance, ownerType) && !this.declares(instance, ownerSymbols)) continue;
      const property = this.checker.getPropertyOfType(instance, name);
      for (const declaration of property?.declarations ?? []) {
        if (!this.isOwn(declaration) || isAbstractMember(declaration)) continue;
        const end = this.endOf(declaration);
        if (end && !ends.some((known) => known.file === end.file && known.line === end.line)) ends.push(end);
      }
    }
    this.implementations.set(key, ends);
    return ends;
  }

  /**
   * `const api: Api = { get() {…} }; api.get()`: the receiver always holds that
   * object literal, whose own method is the implementation called.
   */
  private constObjectMember(receiver: ts.Expression, name: string): End | undefined {
    let symbol = this.checker.getSymbolAtLocation(skipOuter(receiver));
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = this.checker.getAliasedSymbol(symbol);
    const declaration = symbol?.valueDeclaration;
    if (!declaration || !ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
    const literal = skipOuter(declaration.initializer);
    if (!ts.isObjectLiteralExpression(literal)) return undefined;
    const member = literal.properties.find((property) => property.name && ts.isIdentifier(property.name) && property.name.text === name);
    if (!member || !(ts.isMethodDeclaration(member) || (ts.isPropertyAssignment(member) && isFunctionLike(member)))) return undefined;
    return this.isOwn(member) ? this.endOf(member) : undefined;
  }

  /** Does a class type extend or implement (at any depth of its heritage) one of these types? */
  private declares(classType: ts.Type, owners: Set<ts.Symbol>): boolean {
    const seen = new Set<ts.Symbol>();
    const queue: ts.Type[] = [classType];
    while (queue.length > 0) {
      const current = queue.pop()!;
      const type = (current as ts.TypeReference).target ?? current;
      const symbol = type.getSymbol();
      if (current.aliasSymbol && owners.has(current.aliasSymbol)) return true;
      if (!symbol || seen.has(symbol)) continue;
      seen.add(symbol);
      if (owners.has(symbol)) return true;
      if (type.isClassOrInterface()) queue.push(...(this.checker.getBaseTypes(type) ?? []));
      for (const declaration of symbol.declarations ?? []) {
        if (!ts.isClassLike(declaration)) continue;
        for (const clause of declaration.heritageClauses ?? []) {
          if (clause.token === ts.SyntaxKind.ImplementsKeyword) for (const node of clause.types) queue.push(this.checker.getTypeAtLocation(node));
        }
      }
    }
    return false;
  }

  private allClasses(): ts.ClassLikeDeclaration[] {
    if (this.classes) return this.classes;
    const classes: ts.ClassLikeDeclaration[] = [];
    for (const source of this.program.getSourceFiles()) {
      if (!this.own.has(source.fileName)) continue;
      const visit = (node: ts.Node): void => {
        if (ts.isClassLike(node)) classes.push(node);
        ts.forEachChild(node, visit);
      };
      visit(source);
    }
    this.classes = classes;
    return classes;
  }

  private isOwn(declaration: ts.Node): boolean {
    return this.own.has(declaration.getSourceFile().fileName);
  }

  /** A declaration as graphhub names it: file, the line of its name, its name. */
  private endOf(declaration: ts.Node): End | undefined {
    const source = declaration.getSourceFile();
    const nameNode = nameOf(declaration);
    const at = nameNode ? nameNode.getStart(source) : declaration.getStart(source);
    const line = source.getLineAndCharacterOfPosition(at).line + 1;
    const name = nameNode ? nameNode.getText(source).replace(/^["'`]|["'`]$/g, '') : 'default';
    const owner = ownerName(declaration);
    return { file: this.rel(source.fileName), name: owner ? `${owner}.${name}` : name, line };
  }
}

type Invocation = ts.CallExpression | ts.NewExpression | ts.TaggedTemplateExpression;

function calleeOf(node: Invocation): ts.Expression {
  return ts.isTaggedTemplateExpression(node) ? node.tag : node.expression;
}

/** What graphhub records as the site of a call: the called name. */
function siteOf(expression: ts.Expression): ts.Node {
  if (ts.isPropertyAccessExpression(expression)) return expression.name;
  if (ts.isCallExpression(expression)) return siteOf(expression.expression);
  return expression;
}

function skipOuter(expression: ts.Expression): ts.Expression {
  let current = expression;
  for (;;) {
    if (ts.isParenthesizedExpression(current) || ts.isNonNullExpression(current) || ts.isAsExpression(current) || ts.isTypeAssertionExpression(current) || ts.isSatisfiesExpression(current)) {
      current = current.expression;
    } else return current;
  }
}

function accessName(expression: ts.PropertyAccessExpression | ts.ElementAccessExpression): ts.Node | undefined {
  if (ts.isPropertyAccessExpression(expression)) return expression.name;
  return ts.isStringLiteralLike(expression.argumentExpression) ? expression.argumentExpression : undefined;
}

function nameOf(declaration: ts.Node): ts.Node | undefined {
  if (ts.isConstructorDeclaration(declaration)) return declaration.getChildren().find((child) => child.kind === ts.SyntaxKind.ConstructorKeyword);
  const named = declaration as ts.Node & { name?: ts.Node };
  if (named.name) return named.name;
  // `const f = () => …`: the variable names the function.
  if ((ts.isArrowFunction(declaration) || ts.isFunctionExpression(declaration) || ts.isClassExpression(declaration)) && ts.isVariableDeclaration(declaration.parent)) {
    return declaration.parent.name;
  }
  if (ts.isBinaryExpression(declaration) && ts.isPropertyAccessExpression(declaration.left)) return declaration.left.name;
  return undefined;
}

/** The class, interface or bound object a member belongs to, as graphhub prefixes methods: `C` in `C.m`. */
function ownerName(declaration: ts.Node): string | undefined {
  const parent = declaration.parent;
  if (!parent) return undefined;
  if ((ts.isClassLike(parent) || ts.isInterfaceDeclaration(parent)) && !ts.isClassLike(declaration)) return parent.name?.text;
  if (ts.isTypeLiteralNode(parent) && ts.isTypeAliasDeclaration(parent.parent)) return parent.parent.name.text;
  if (ts.isObjectLiteralExpression(parent) && ts.isVariableDeclaration(parent.parent) && ts.isIdentifier(parent.parent.name)) return parent.parent.name.text;
  return undefined;
}

function isFunctionLike(declaration: ts.Declaration): boolean {
  if (ts.isFunctionDeclaration(declaration) || ts.isMethodDeclaration(declaration) || ts.isFunctionExpression(declaration) || ts.isArrowFunction(declaration)) return true;
  if (ts.isGetAccessor(declaration) || ts.isSetAccessor(declaration)) return false;
  if (ts.isClassLike(declaration)) return false;
  // `const f = () => …`, `{ f: () => … }`, a class field `f = () => …`, `exports.f = function …`.
  const initializer = (declaration as ts.Node & { initializer?: ts.Expression }).initializer;
  if ((ts.isVariableDeclaration(declaration) || ts.isPropertyAssignment(declaration) || ts.isPropertyDeclaration(declaration)) && initializer) {
    const value = skipOuter(initializer);
    return ts.isArrowFunction(value) || ts.isFunctionExpression(value);
  }
  if (ts.isBinaryExpression(declaration) || ts.isPropertyAccessExpression(declaration)) {
    const assignment = ts.isBinaryExpression(declaration) ? declaration : ts.isBinaryExpression(declaration.parent) ? declaration.parent : undefined;
    const value = assignment ? skipOuter(assignment.right) : undefined;
    return value !== undefined && (ts.isArrowFunction(value) || ts.isFunctionExpression(value));
  }
  return false;
}

/** A method of an interface, of an object type, or an abstract method: the call dispatches. */
function isAbstractMember(declaration: ts.Declaration): boolean {
  if (ts.isMethodSignature(declaration) || ts.isPropertySignature(declaration)) return true;
  if ((ts.isMethodDeclaration(declaration) || ts.isPropertyDeclaration(declaration)) && declaration.modifiers?.some((modifier) => modifier.kind === ts.SyntaxKind.AbstractKeyword)) {
    return true;
  }
  return false;
}

/** An interface, a named type alias or an abstract class owns the member: it has a declaration to name. */
function hasNamedOwner(declaration: ts.Declaration): boolean {
  const owner = declaration.parent;
  if (ts.isInterfaceDeclaration(owner) || ts.isClassLike(owner)) return true;
  return ts.isTypeLiteralNode(owner) && ts.isTypeAliasDeclaration(owner.parent);
}

/** `const g = f` with f a function: the function it always holds. */
function constFunctionValue(declaration: ts.Declaration, checker: ts.TypeChecker): ts.Declaration | undefined {
  if (!ts.isVariableDeclaration(declaration) || !declaration.initializer) return undefined;
  if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return undefined;
  const value = skipOuter(declaration.initializer);
  if (!ts.isIdentifier(value) && !ts.isPropertyAccessExpression(value)) return undefined;
  let symbol = checker.getSymbolAtLocation(ts.isPropertyAccessExpression(value) ? value.name : value);
  if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  return symbol?.declarations?.find((candidate) => isFunctionLike(candidate));
}

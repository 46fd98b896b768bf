/**
 * Imports, exports and CommonJS `module.exports` of one file, read from the
 * import/export statements and assignments the query captured.
 */
import type { CompactNode as SyntaxNode } from '../compact-tree.js';
import { rangeOf, stringValue } from '../syntax-helpers.js';
import type { ExtractContext } from './extract-context.js';
import { addDraft, describeValue, valueKind } from './extract-decls.js';
import type { TsExport } from './facts.js';
import { expr, memberName } from './syntax.js';

export function readImport(context: ExtractContext, statement: SyntaxNode): void {
  const sourceNode = statement.childForFieldName('source');
  const line = statement.startPosition.row + 1;
  const requireClause = statement.namedChildren.find((child) => child.type === 'import_require_clause');
  if (requireClause) {
    // TypeScript's `import x = require('y')` binds the module like CommonJS require.
    const name = requireClause.namedChildren.find((child) => child.type === 'identifier');
    const source = requireClause.namedChildren.find((child) => child.type === 'string');
    const specifier = source ? stringValue(source) : undefined;
    if (name && specifier !== undefined) {
      context.facts.bindings.push({ name: name.text, at: 0, scope: [0, Number.MAX_SAFE_INTEGER], value: { k: 'require', source: specifier } });
    }
    return;
  }
  const source = sourceNode ? stringValue(sourceNode) : undefined;
  if (source === undefined) return;
  const clause = statement.namedChildren.find((child) => child.type === 'import_clause');
  for (const part of clause?.namedChildren ?? []) {
    if (part.type === 'identifier') {
      context.facts.imports.push({ local: part.text, source, imported: 'default', line });
    } else if (part.type === 'namespace_import') {
      const local = part.namedChildren.find((child) => child.type === 'identifier');
      if (local) context.facts.imports.push({ local: local.text, source, imported: '*', line });
    } else if (part.type === 'named_imports') {
      for (const specifier of part.namedChildren) {
        if (specifier.type !== 'import_specifier') continue;
        const name = specifier.childForFieldName('name');
        const alias = specifier.childForFieldName('alias');
        const imported = name ? (name.type === 'string' ? stringValue(name) : name.text) : undefined;
        if (imported) context.facts.imports.push({ local: (alias ?? name)!.text, source, imported, line });
      }
    }
  }
}

export function readExport(context: ExtractContext, statement: SyntaxNode): void {
  // `export function g` inside `namespace N {}` exports from N, not from the module.
  if (statement.parent?.type !== 'program') return;
  const exports = context.facts.exports;
  const sourceNode = statement.childForFieldName('source');
  const source = sourceNode ? stringValue(sourceNode) : undefined;
  const clause = statement.namedChildren.find((child) => child.type === 'export_clause');
  const namespaceExport = statement.namedChildren.find((child) => child.type === 'namespace_export');
  if (source !== undefined) {
    if (namespaceExport) {
      const name = namespaceExport.namedChildren[0];
      if (name) exports.push({ exported: exportName(name), source, imported: '*' });
    } else if (clause) {
      for (const { name, alias } of specifiers(clause)) exports.push({ exported: alias ?? name, source, imported: name });
    } else {
      exports.push({ exported: '*', source, imported: '*' });
    }
    return;
  }
  if (clause) {
    for (const { name, alias } of specifiers(clause)) exports.push({ exported: alias ?? name, local: name });
    return;
  }
  const isDefault = /^export\s+default\b/.test(statement.text);
  const declaration = statement.childForFieldName('declaration');
  if (declaration) {
    const names = declaredNames(declaration);
    for (const name of names) exports.push({ exported: isDefault ? 'default' : name, local: name });
    if (isDefault && names.length === 0) {
      const index = context.declAt.get(declaration.startIndex);
      if (index !== undefined) exports.push({ exported: 'default', decl: index });
    }
    return;
  }
  const value = statement.childForFieldName('value');
  if (isDefault && value) {
    if (value.type === 'identifier') exports.push({ exported: 'default', local: value.text });
    else {
      const index = context.declAt.get(value.startIndex);
      if (index !== undefined) exports.push({ exported: 'default', decl: index });
    }
  }
}

function exportName(node: SyntaxNode): string {
  return node.type === 'string' ? (stringValue(node) ?? node.text) : node.text;
}

function specifiers(clause: SyntaxNode): Array<{ name: string; alias?: string }> {
  const found: Array<{ name: string; alias?: string }> = [];
  for (const specifier of clause.namedChildren) {
    if (specifier.type !== 'export_specifier') continue;
    const name = specifier.childForFieldName('name');
    const alias = specifier.childForFieldName('alias');
    if (!name) continue;
    found.push(alias ? { name: exportName(name), alias: exportName(alias) } : { name: exportName(name) });
  }
  return found;
}

/** The names a declaration statement binds: `function f`, `class K`, `const a = …, b = …`. */
function declaredNames(declaration: SyntaxNode): string[] {
  if (declaration.type === 'lexical_declaration' || declaration.type === 'variable_declaration') {
    return declaration.namedChildren
      .filter((child) => child.type === 'variable_declarator')
      .map((child) => child.childForFieldName('name'))
      .filter((name): name is SyntaxNode => name?.type === 'identifier')
      .map((name) => name.text);
  }
  const target = declaration.type === 'ambient_declaration' ? declaration.namedChild(0) : declaration;
  const name = target?.childForFieldName('name');
  return name && name.type !== 'string' ? [name.text.split('.')[0]!] : [];
}

type AssignmentTarget = { k: 'module' } | { k: 'named'; name: string } | { k: 'this'; name: string };

function assignmentTarget(left: SyntaxNode): AssignmentTarget | undefined {
  const written = expr(left);
  if (written.k !== 'member') return undefined;
  if (written.x.k === 'id' && written.x.name === 'module' && written.name === 'exports') return { k: 'module' };
  if (written.x.k === 'id' && written.x.name === 'exports') return { k: 'named', name: written.name };
  if (written.x.k === 'member' && written.x.x.k === 'id' && written.x.x.name === 'module' && written.x.name === 'exports') {
    return { k: 'named', name: written.name };
  }
  if (written.x.k === 'this') return { k: 'this', name: written.name };
  return undefined;
}

/**
 * `module.exports = …`, `exports.x = …` and `this.x = …`. The first pass
 * creates declarations for the functions assigned; the second records the
 * exports and the class fields, once declarations have their indexes.
 */
export function readAssignment(context: ExtractContext, assignment: SyntaxNode, pass: 'declarations' | 'effects'): void {
  const left = assignment.childForFieldName('left');
  const right = assignment.childForFieldName('right');
  if (!left || !right) return;
  const target = assignmentTarget(left);
  if (!target) return;
  if (target.k === 'this') {
    if (pass === 'effects') addThisField(context, target.name, right, assignment);
    return;
  }
  // Only module-level assignments define the module's exports.
  if (!isModuleLevel(assignment)) return;
  if (pass === 'declarations') {
    const kind = valueKind(right);
    if (!kind) return;
    if (kind === 'object') {
      if (target.k === 'module') context.declaredObjects.add(right.startIndex);
      return;
    }
    const ownName = right.childForFieldName('name');
    const name = target.k === 'named' ? target.name : (ownName?.text ?? 'module.exports');
    const nameNode = ownName ?? left;
    addDraft(context, {
      decl: {
        kind,
        name,
        range: rangeOf(right),
        nameLine: nameNode.startPosition.row + 1,
        nameCol: nameNode.startPosition.column + 1,
        signature: '',
        doc: '',
        start: right.startIndex,
        end: right.endIndex,
        exported: true,
      },
      node: right,
      bindsName: false,
      hoisted: false,
      statement: assignment,
    });
    describeValue(context, context.drafts[context.drafts.length - 1]!.decl, right);
    return;
  }
  context.facts.commonjs = true;
  const exports = context.facts.exports;
  const exportedAs = target.k === 'module' ? 'default' : target.name;
  if (right.type === 'identifier') {
    exports.push({ exported: exportedAs, local: right.text });
    return;
  }
  const index = context.declAt.get(right.startIndex);
  if (index !== undefined) {
    exports.push({ exported: exportedAs, decl: index });
    return;
  }
  if (target.k === 'module' && right.type === 'object') {
    for (const member of right.namedChildren) exports.push(...objectMemberExports(context, member));
  }
}

function objectMemberExports(context: ExtractContext, member: SyntaxNode): TsExport[] {
  if (member.type === 'shorthand_property_identifier') return [{ exported: member.text, local: member.text }];
  if (member.type === 'method_definition') {
    const index = context.declAt.get(member.startIndex);
    const name = memberName(member.childForFieldName('name'));
    return index !== undefined && name ? [{ exported: name, decl: index }] : [];
  }
  if (member.type === 'pair') {
    const name = memberName(member.childForFieldName('key'));
    const value = member.childForFieldName('value');
    if (!name || !value) return [];
    if (value.type === 'identifier') return [{ exported: name, local: value.text }];
    const index = context.declAt.get(member.startIndex);
    if (index !== undefined) return [{ exported: name, decl: index }];
  }
  return [];
}

function isModuleLevel(assignment: SyntaxNode): boolean {
  let current = assignment.parent;
  while (current && current.type !== 'program') {
    if (/function|arrow|method|class_body/.test(current.type)) return false;
    current = current.parent;
  }
  return true;
}

function addThisField(context: ExtractContext, name: string, right: SyntaxNode, assignment: SyntaxNode): void {
  context.pendingFields.push({ offset: assignment.startIndex, field: { name, value: expr(right), at: assignment.startIndex } });
}

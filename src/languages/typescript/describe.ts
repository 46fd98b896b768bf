/**
 * Expressions written back as text, for unresolved calls (`this.db`,
 * `api.client()`), and the name an expression starts from.
 */
import type { Expr } from './facts.js';

export function rootName(expression: Expr): string | undefined {
  switch (expression.k) {
    case 'id':
      return expression.name;
    case 'member':
    case 'dynamic':
      return rootName(expression.x);
    case 'call':
      return rootName(expression.fn);
    default:
      return undefined;
  }
}

/** An expression written back as text, for unresolved calls: `this.db`, `api.client()`. */
export function describe(expression: Expr): string {
  switch (expression.k) {
    case 'id':
      return expression.name;
    case 'member':
      return `${describe(expression.x)}.${expression.name}`;
    case 'this':
      return 'this';
    case 'super':
      return 'super';
    case 'call':
      return `${describe(expression.fn)}()`;
    case 'new':
      return `new ${describe(expression.callee)}()`;
    case 'dynamic':
      return `${describe(expression.x)}[…]`;
    case 'require':
      return `require(${JSON.stringify(expression.source)})`;
    default:
      return '…';
  }
}

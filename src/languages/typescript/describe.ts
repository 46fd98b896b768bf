/**
 * Expressions written back as text, for unresolved calls (`this.db`,
 * `api.client()`), and the name an expression starts from.
 */
import type { Expr } from './facts.js';

/**
 * The innermost expression of a chain of member accesses, calls, arguments
 * and `new`: `require('x').a.b()` → the require, `new A.B(c).d` → `A`.
 */
export function chainRoot(expression: Expr): Expr {
  for (;;) {
    switch (expression.k) {
      case 'member':
      case 'dynamic':
        expression = expression.x;
        break;
      case 'call':
      case 'arg':
        expression = expression.fn;
        break;
      case 'new':
        expression = expression.callee;
        break;
      default:
        return expression;
    }
  }
}

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

/**
 * The one error type for expected failures. Every surface maps `code` once:
 * the CLI to an exit code and one line, the web to an HTTP status, MCP to a
 * tool error. Anything that is not a GraphhubError is a bug.
 */
export type ErrorCode =
  | 'not-found' // a repository, graph, symbol, file or blob that does not exist
  | 'ambiguous' // a query that matches several symbols
  | 'invalid-input' // malformed argument, URL, config, manifest or report
  | 'integrity' // stored bytes whose hash does not match their address
  | 'source-unavailable' // a repository or commit that cannot be read
  | 'conflict' // a concurrent writer got there first
  | 'unavailable'; // a backend that is down or not configured

export class GraphhubError extends Error {
  readonly code: ErrorCode;
  /** Extra data a surface may show: nearest names, the choices of an ambiguous query, … */
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'GraphhubError';
    this.code = code;
    this.details = details;
  }
}

export function isGraphhubError(value: unknown): value is GraphhubError {
  return value instanceof GraphhubError;
}

export function notFound(message: string, details?: Record<string, unknown>): GraphhubError {
  return new GraphhubError('not-found', message, details);
}

export function invalidInput(message: string, details?: Record<string, unknown>): GraphhubError {
  return new GraphhubError('invalid-input', message, details);
}

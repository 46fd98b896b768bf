/**
 * Names Python provides without an import, and method names of built-in
 * types: calls of the former are not gaps in the graph, and the latter are
 * too common to guess a receiver from by name alone.
 */
export const BUILTIN_NAMES = new Set([
  'abs', 'aiter', 'all', 'anext', 'any', 'ascii', 'bin', 'bool', 'breakpoint', 'bytearray', 'bytes', 'callable', 'chr',
  'classmethod', 'compile', 'complex', 'copyright', 'credits', 'delattr', 'dict', 'dir', 'divmod', 'enumerate', 'eval',
  'exec', 'exit', 'filter', 'float', 'format', 'frozenset', 'getattr', 'globals', 'hasattr', 'hash', 'help', 'hex', 'id',
  'input', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'license', 'list', 'locals', 'map', 'max', 'memoryview',
  'min', 'next', 'object', 'oct', 'open', 'ord', 'pow', 'print', 'property', 'quit', 'range', 'repr', 'reversed',
  'round', 'set', 'setattr', 'slice', 'sorted', 'staticmethod', 'str', 'sum', 'super', 'tuple', 'type', 'vars', 'zip',
  '__import__', 'NotImplemented', 'Ellipsis', 'Exception', 'BaseException', 'Warning', '__name__', '__file__', '__doc__',
]);

/** Exceptions and warnings are built in too: BaseException, ValueError, DeprecationWarning… */
export function isBuiltinName(name: string): boolean {
  return BUILTIN_NAMES.has(name) || /^[A-Z][A-Za-z]*(Error|Exception|Warning|Exit|Interrupt|Iteration)$/.test(name);
}

export const BUILTIN_METHOD_NAMES = new Set([
  'append', 'extend', 'insert', 'pop', 'remove', 'clear', 'copy', 'count', 'index', 'sort', 'reverse', 'get', 'items',
  'keys', 'values', 'update', 'setdefault', 'popitem', 'add', 'discard', 'union', 'intersection', 'difference', 'join',
  'split', 'rsplit', 'splitlines', 'strip', 'lstrip', 'rstrip', 'replace', 'startswith', 'endswith', 'lower', 'upper',
  'title', 'capitalize', 'format', 'encode', 'decode', 'find', 'rfind', 'partition', 'rpartition', 'isdigit',
  'isalpha', 'isalnum', 'isspace', 'zfill', 'ljust', 'rjust', 'center', 'read', 'write', 'readline', 'readlines',
  'writelines', 'close', 'flush', 'seek', 'tell', 'fileno', '__init__', '__enter__', '__exit__', 'send', 'throw',
]);

/** Conventional names of a method's first parameter (PEP 8); another name is not taken to be the receiver. */
export const RECEIVER_NAMES = new Set(['self', 'cls', 'mcs', 'mcls', 'metacls', 'klass']);

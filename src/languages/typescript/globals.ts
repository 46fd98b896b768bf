/**
 * Names JavaScript provides without an import. A call of one of them is not
 * a gap in the graph, so it is neither an edge nor an unresolved call; and a
 * method name that built-in objects have is too common to guess a receiver
 * from by name alone.
 */
export const GLOBAL_NAMES = new Set([
  // Global objects and functions (ECMAScript, Node, browsers)
  'Array', 'ArrayBuffer', 'AbortController', 'AbortSignal', 'AggregateError', 'Atomics', 'BigInt', 'BigInt64Array', 'Blob',
  'Boolean', 'Buffer', 'DataView', 'Date', 'Error', 'EvalError', 'Event', 'EventTarget', 'FinalizationRegistry',
  'Float32Array', 'Float64Array', 'FormData', 'Function', 'Headers', 'Int16Array', 'Int32Array', 'Int8Array', 'Intl',
  'JSON', 'Map', 'Math', 'MessageChannel', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError',
  'Reflect', 'RegExp', 'Request', 'Response', 'Set', 'SharedArrayBuffer', 'String', 'Symbol', 'SyntaxError',
  'TextDecoder', 'TextEncoder', 'TypeError', 'URIError', 'URL', 'URLSearchParams', 'Uint16Array', 'Uint32Array',
  'Uint8Array', 'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly', 'Worker', 'console', 'crypto',
  'decodeURI', 'decodeURIComponent', 'document', 'encodeURI', 'encodeURIComponent', 'escape', 'eval', 'fetch',
  'globalThis', 'isFinite', 'isNaN', 'localStorage', 'location', 'navigator', 'parseFloat', 'parseInt', 'performance',
  'process', 'queueMicrotask', 'require', 'setImmediate', 'setInterval', 'setTimeout', 'clearImmediate',
  'clearInterval', 'clearTimeout', 'structuredClone', 'unescape', 'window', 'alert', 'atob', 'btoa',
  'requestAnimationFrame', 'cancelAnimationFrame', 'module', 'exports', '__dirname', '__filename', 'Deno', 'Bun',
  // Test frameworks' globals
  'describe', 'it', 'test', 'suite', 'context', 'specify', 'expect', 'beforeEach', 'afterEach', 'beforeAll', 'afterAll',
  'before', 'after', 'setup', 'teardown', 'suiteSetup', 'suiteTeardown', 'jest', 'vi', 'fdescribe', 'fit', 'xdescribe',
  'xit', 'xtest', 'assert',
]);

export const BUILTIN_METHOD_NAMES = new Set([
  // Array, String, Map, Set, Promise, Object, Function, Date, RegExp, iterators, events, streams
  'at', 'concat', 'copyWithin', 'entries', 'every', 'fill', 'filter', 'find', 'findIndex', 'findLast', 'findLastIndex',
  'flat', 'flatMap', 'forEach', 'includes', 'indexOf', 'join', 'keys', 'lastIndexOf', 'map', 'pop', 'push', 'reduce',
  'reduceRight', 'reverse', 'shift', 'slice', 'some', 'sort', 'splice', 'toSorted', 'toReversed', 'unshift', 'values',
  'charAt', 'charCodeAt', 'codePointAt', 'endsWith', 'localeCompare', 'match', 'matchAll', 'normalize', 'padEnd',
  'padStart', 'repeat', 'replace', 'replaceAll', 'search', 'split', 'startsWith', 'substring', 'substr', 'toLowerCase',
  'toUpperCase', 'trim', 'trimEnd', 'trimStart', 'toString', 'toFixed', 'valueOf', 'toJSON', 'toISOString',
  'get', 'set', 'has', 'delete', 'clear', 'add', 'then', 'catch', 'finally', 'call', 'apply', 'bind', 'test', 'exec',
  'next', 'return', 'throw', 'on', 'once', 'off', 'emit', 'addListener', 'removeListener', 'addEventListener',
  'removeEventListener', 'write', 'end', 'pipe', 'read', 'close', 'destroy', 'getTime', 'hasOwnProperty', 'log',
  'error', 'warn', 'info', 'debug', 'trace',
]);

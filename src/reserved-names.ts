import { checkString } from './errors.js';
// Names that user text (formula parameters, calibration keys) may not use: one list, one rule
// (docs/energy-models.md#limits-on-untrusted-input). A parameter named `Math` or `constructor`
// would be harmless in the generated code, which indexes parameters by position, but the same name
// as a key of a plain object reads or replaces an inherited member (`__proto__` sets the
// prototype and the value is lost), and a name that reads like a global misleads whoever reads the
// formula. The list is data, the same on every host.

const ECMASCRIPT_GLOBALS = [
  'globalThis', 'Infinity', 'NaN', 'undefined', 'eval', 'isFinite', 'isNaN', 'parseFloat', 'parseInt',
  'decodeURI', 'decodeURIComponent', 'encodeURI', 'encodeURIComponent', 'escape', 'unescape',
  'AggregateError', 'Array', 'ArrayBuffer', 'Atomics', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean',
  'DataView', 'Date', 'Error', 'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array', 'Function',
  'Int8Array', 'Int16Array', 'Int32Array', 'Intl', 'Iterator', 'JSON', 'Map', 'Math', 'Number', 'Object', 'Promise',
  'Proxy', 'RangeError', 'ReferenceError', 'Reflect', 'RegExp', 'Set', 'SharedArrayBuffer', 'String', 'Symbol',
  'SyntaxError', 'TypeError', 'URIError', 'Uint8Array', 'Uint8ClampedArray', 'Uint16Array', 'Uint32Array',
  'WeakMap', 'WeakRef', 'WeakSet', 'WebAssembly',
];

// Globals that Node and browsers add, and the module-scope names of CommonJS.
const HOST_GLOBALS = [
  'global', 'window', 'self', 'document', 'process', 'require', 'module', 'exports', 'Buffer', 'console',
  'fetch', 'setTimeout', 'setInterval', 'setImmediate', 'clearTimeout', 'clearInterval', 'clearImmediate',
  'queueMicrotask', 'structuredClone', 'performance', 'importScripts', 'Deno', 'Bun',
];

const PROTOTYPE_MEMBERS = [
  // Object.prototype
  'constructor', 'hasOwnProperty', 'isPrototypeOf', 'propertyIsEnumerable', 'toLocaleString', 'toString', 'valueOf',
  // Function.prototype and functions' own
  'apply', 'bind', 'call', 'arguments', 'caller', 'prototype',
];

// Reserved words of JavaScript (strict mode included), and `this`-like names.
const KEYWORDS = [
  'await', 'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else',
  'enum', 'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'implements', 'import', 'in',
  'instanceof', 'interface', 'let', 'new', 'null', 'package', 'private', 'protected', 'public', 'return', 'static',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'void', 'while', 'with', 'yield',
];

const RESERVED: ReadonlySet<string> = new Set([...ECMASCRIPT_GLOBALS, ...HOST_GLOBALS, ...PROTOTYPE_MEMBERS, ...KEYWORDS]);

/**
 * Whether a user-chosen name (a formula parameter, a calibration key) is refused: a JavaScript
 * global (`Math`, `globalThis`, `process`, …), a member of `Object.prototype` or
 * `Function.prototype` (`constructor`, `prototype`, …), a reserved word, or any name that begins
 * with two underscores (`__proto__`, `__defineGetter__`, …).
 *
 * @example
 * isReservedName('__proto__') // true
 * isReservedName('Math') // true
 * isReservedName('theta1') // false
 */
export function isReservedName(name: string): boolean {
  return checkString('isReservedName(name)', name).startsWith('__') || RESERVED.has(name);
}

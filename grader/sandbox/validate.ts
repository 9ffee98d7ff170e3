/**
 * Run-time checks of everything the child sends. Its messages are data from
 * an untrusted process: the shape of each message, the task id it answers,
 * and the values it carries (only what `toWire` produces: primitives, plain
 * arrays and objects, ndarray wire objects, ArrayBuffers) are checked here,
 * with caps on depth, size and string length, no cycles and no prototype
 * keys. Anything else is a malformed message, which the sandbox turns into the
 * part's `error` verdict.
 */
import type { ChildMessage, WireError } from './protocol.ts';
import { cleanText } from './sanitize.ts';

export const VALUE_LIMITS = { depth: 64, nodes: 5_000_000, stringChars: 1_000_000, totalChars: 32_000_000 };
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

export class MalformedMessage extends Error {}

const bad = (msg: string): never => {
  throw new MalformedMessage(msg);
};

/** Throws MalformedMessage naming the first thing wrong with a value from the child; cleans its strings in place. */
export function checkValue(v: unknown): void {
  let nodes = 0;
  let chars = 0;
  const ancestors = new Set<object>();
  const walk = (x: unknown, depth: number, where: string): void => {
    if (++nodes > VALUE_LIMITS.nodes) bad(`more than ${VALUE_LIMITS.nodes.toLocaleString('en-US')} values`);
    if (x === null || x === undefined || typeof x === 'boolean' || typeof x === 'number') return;
    if (typeof x === 'string') {
      if (x.length > VALUE_LIMITS.stringChars) bad(`a string of ${x.length.toLocaleString('en-US')} characters at ${where || 'the top'}`);
      chars += x.length;
      if (chars > VALUE_LIMITS.totalChars) bad('too much text');
      return;
    }
    if (typeof x !== 'object') return bad(`a ${typeof x} at ${where || 'the top'}`);
    if (depth > VALUE_LIMITS.depth) bad(`values nested more than ${VALUE_LIMITS.depth} deep`);
    if (x instanceof ArrayBuffer) return;
    if (x instanceof Float64Array) return;
    if (ancestors.has(x)) bad(`a cycle at ${where}`);
    const proto = Object.getPrototypeOf(x);
    const isArray = Array.isArray(x) && proto === Array.prototype;
    if (!isArray && proto !== Object.prototype) bad(`an object of an unsupported kind (${Object.prototype.toString.call(x)}) at ${where || 'the top'}`);
    ancestors.add(x);
    if (isArray) {
      const a = x as unknown[];
      for (let i = 0; i < a.length; i++) {
        walk(a[i], depth + 1, `${where}[${i}]`);
        if (typeof a[i] === 'string') a[i] = cleanText(a[i] as string);
      }
    } else {
      const o = x as Record<string, unknown>;
      for (const k of Object.keys(o)) {
        if (FORBIDDEN_KEYS.has(k) || k.startsWith('\u0000')) bad(`the key ${JSON.stringify(k)} at ${where || 'the top'}`);
        walk(o[k], depth + 1, where ? `${where}.${k}` : k);
        if (typeof o[k] === 'string') o[k] = cleanText(o[k] as string);
      }
      if (o.__ndarray === true) checkNdarray(o, where);
    }
    ancestors.delete(x);
  };
  walk(v, 0, '');
}

function checkNdarray(o: Record<string, unknown>, where: string): void {
  const { shape, data } = o;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) bad(`an array whose shape is not a list of sizes at ${where || 'the top'}`);
  if (!(data instanceof Float64Array)) return bad(`an array without its data at ${where || 'the top'}`);
  const size = (shape as number[]).reduce((a, b) => a * b, 1);
  if (size !== data.length) bad(`an array of shape [${(shape as number[]).join(', ')}] holding ${data.length} values at ${where || 'the top'}`);
}

const str = (v: unknown, max: number): string | undefined => (typeof v === 'string' ? cleanText(v.slice(0, max)) : undefined);

function wireErrorOf(e: unknown): WireError {
  if (typeof e !== 'object' || e === null) return bad('an error report that is not an object');
  const o = e as Record<string, unknown>;
  const message = str(o.message, 10_000);
  if (message === undefined) bad('an error report without a message');
  return { name: str(o.name, 200) ?? 'Error', message: message!, ...(typeof o.stack === 'string' ? { stack: str(o.stack, 20_000) } : {}) };
}

const isObj = (m: unknown): m is Record<string, unknown> => typeof m === 'object' && m !== null && !Array.isArray(m);

/** The child's message, checked and with its strings cleaned; throws MalformedMessage. */
export function checkChildMessage(m: unknown): ChildMessage {
  if (!isObj(m) || Object.getPrototypeOf(m) !== Object.prototype) return bad('a message that is not a plain object');
  switch (m.type) {
    case 'ready':
      if (typeof m.protocol !== 'number') bad('a ready message without a protocol version');
      return { type: 'ready', protocol: m.protocol as number, node: str(m.node, 100) ?? '' };
    case 'loaded': {
      if (!isObj(m.exports)) bad('a loaded message without exports');
      const exports: Record<string, string> = {};
      for (const [k, v] of Object.entries(m.exports as object).slice(0, 10_000)) exports[cleanText(k.slice(0, 200))] = str(v, 20) ?? 'unknown';
      return { type: 'loaded', exports };
    }
    case 'loadError':
      return { type: 'loadError', error: wireErrorOf(m.error) };
    case 'fault':
      return { type: 'fault', error: wireErrorOf(m.error) };
    case 'result': {
      if (typeof m.id !== 'string') bad('a result without a task id');
      const common = { id: m.id as string, ms: typeof m.ms === 'number' ? m.ms : 0, backend: str(m.backend, 40), dirty: m.dirty === true };
      if (m.ok === true) {
        checkValue(m.value);
        return { type: 'result', ok: true, value: m.value, ...common };
      }
      if (m.ok === false) return { type: 'result', ok: false, error: wireErrorOf(m.error), ...common };
      return bad('a result that is neither ok nor an error');
    }
    default:
      return bad(`a message of unknown type ${JSON.stringify(String(m.type).slice(0, 40))}`);
  }
}

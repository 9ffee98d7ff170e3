/**
 * In-process guards of the sandbox child, installed before the submission is
 * loaded. Node 20's permission model does not cover the network, signals or a
 * few diagnostic writers; these close them inside the process (the OS layer,
 * bubblewrap, closes them again from outside). Each refusal throws an Error
 * whose message says what was tried, so the verdict can name it.
 *
 * The replaced functions are installed as non-writable, non-configurable
 * properties of the shared built-in modules, and the ESM views of the
 * built-ins are resynchronised, so `import { connect } from 'node:net'` gets
 * the guard too.
 */
import { createRequire, syncBuiltinESMExports } from 'node:module';

export class SandboxDenied extends Error {
  constructor(what: string) {
    super(`${what}: not allowed in the sandbox`);
    this.name = 'SandboxDenied';
  }
}

const deny = (what: string) =>
  function denied(): never {
    throw new SandboxDenied(what);
  };

function lock(obj: object, key: string, value: unknown): void {
  try {
    Object.defineProperty(obj, key, { value, writable: false, configurable: false, enumerable: true });
  } catch {
    /* already locked */
  }
}

export interface TimerCount {
  /** Timers and immediates the submission scheduled that have not run or been cleared. */
  pending(): number;
}

/** Track the submission's timers, so a child that leaves work behind is not reused for the next part. */
function trackTimers(req: NodeRequire): TimerCount {
  const live = new Set<unknown>();
  const timers = req('node:timers') as typeof import('node:timers');
  const wrapSet = <F extends (...a: any[]) => any>(orig: F, repeat: boolean) =>
    function (this: unknown, cb: unknown, ...rest: unknown[]) {
      if (typeof cb !== 'function') return orig.call(this, cb, ...rest);
      let h: unknown;
      const run = function (this: unknown, ...a: unknown[]) {
        if (!repeat) live.delete(h);
        return (cb as (...x: unknown[]) => unknown).apply(this, a);
      };
      h = orig.call(this, run, ...rest);
      live.add(h);
      return h;
    };
  const wrapClear = <F extends (h: any) => void>(orig: F) =>
    function (this: unknown, h: unknown) {
      live.delete(h);
      return orig.call(this, h);
    };
  const table: [string, (f: any) => unknown][] = [
    ['setTimeout', (f) => wrapSet(f, false)], ['setInterval', (f) => wrapSet(f, true)], ['setImmediate', (f) => wrapSet(f, false)],
    ['clearTimeout', wrapClear], ['clearInterval', wrapClear], ['clearImmediate', wrapClear],
  ];
  for (const [name, wrap] of table) {
    const g = globalThis as unknown as Record<string, unknown>;
    const w = wrap(g[name]);
    g[name] = w;
    (timers as unknown as Record<string, unknown>)[name] = w;
  }
  return { pending: () => live.size };
}

/** Install the guards; returns the submission's timer count. */
export function installGuards(): TimerCount {
  const req = createRequire(import.meta.url);
  const net = req('node:net');
  const dgram = req('node:dgram');
  const dns = req('node:dns');
  const tls = req('node:tls');
  const http2 = req('node:http2');
  // Loaded before process.chdir is locked (node:internal/worker, which they load, assigns it).
  const traceEvents = req('node:trace_events');
  const inspector = req('node:inspector');
  const network = deny('to open a network connection');
  lock(net.Socket.prototype, 'connect', network);
  lock(net.Server.prototype, 'listen', deny('to listen on a network port'));
  for (const k of ['connect', 'createConnection']) {
    lock(net, k, network);
    lock(tls, k, network);
  }
  lock(http2, 'connect', network);
  for (const k of ['bind', 'send', 'connect']) lock(dgram.Socket.prototype, k, deny('to send or receive UDP packets'));
  const lookup = deny('to look up a host name (DNS)');
  for (const k of ['lookup', 'lookupService', 'resolve', 'resolve4', 'resolve6', 'resolveAny', 'resolveTxt', 'resolveMx', 'resolveSrv', 'resolveNs', 'resolveCname', 'reverse']) {
    lock(dns, k, lookup);
    lock(dns.promises, k, lookup);
  }
  lock(dns.Resolver.prototype, 'resolve', lookup);
  lock(dns.promises.Resolver.prototype, 'resolve', lookup);
  for (const k of ['fetch', 'WebSocket', 'EventSource']) if (k in globalThis) lock(globalThis, k, deny('to open a network connection'));
  const signal = deny('to send a signal to a process');
  lock(process, 'kill', signal);
  lock(process, '_kill', signal);
  lock(process, 'chdir', deny('to change the working directory'));
  lock(process, 'report', undefined);
  lock(traceEvents, 'createTracing', deny('to write trace events'));
  lock(inspector, 'open', deny('to open the inspector'));
  lock(process, '_debugProcess', signal);
  const timers = trackTimers(req);
  syncBuiltinESMExports();
  return timers;
}

/**
 * What the built-in objects look like now (own keys, their values and accessors, prototypes).
 * Taken once the submission has loaded; a task that changes any of it (patches Array.prototype.map,
 * makes every object thenable, adds a global) leaves a process that is not reused for another part.
 */
export function intrinsicsSnapshot(): () => boolean {
  const typedArray = Object.getPrototypeOf(Float64Array.prototype) as object;
  const objects: object[] = [
    globalThis, Object, Object.prototype, Array, Array.prototype, Function.prototype, Promise, Promise.prototype, Math, JSON, Reflect,
    Number, Number.prototype, String, String.prototype, Boolean.prototype, Symbol, Symbol.prototype, Error, Error.prototype, Map.prototype, Set.prototype,
    WeakMap.prototype, ArrayBuffer.prototype, typedArray, Float64Array.prototype, Float32Array.prototype, Int32Array.prototype, Date, Date.prototype,
    RegExp.prototype, BigInt.prototype,
  ];
  // Only captured functions and plain loops: the submission may have patched Array.prototype itself.
  const { ownKeys, getOwnPropertyDescriptor } = Reflect;
  const { getPrototypeOf, isExtensible, is } = Object;
  const take = (): unknown[] => {
    const out: unknown[] = [];
    for (let i = 0; i < objects.length; i++) {
      const o = objects[i];
      const keys = ownKeys(o);
      out[out.length] = getPrototypeOf(o);
      out[out.length] = isExtensible(o);
      for (let j = 0; j < keys.length; j++) {
        const d = getOwnPropertyDescriptor(o, keys[j]);
        out[out.length] = keys[j];
        out[out.length] = d?.get ?? d?.value;
        out[out.length] = d?.set;
      }
    }
    return out;
  };
  const before = take();
  return () => {
    const now = take();
    if (now.length !== before.length) return true;
    for (let i = 0; i < now.length; i++) if (!is(now[i], before[i])) return true;
    return false;
  };
}

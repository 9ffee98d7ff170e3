/**
 * The hostile hand-ins of the containment suite. Each is written at test time
 * into its own folder as the correct fashion-mnist-hw4 example with this
 * submission.ts laid over it, plus targets.json (what it aims at: a canary
 * path outside, a loopback port, a bystander's pid, another student's file).
 * Unless the case says otherwise the attack sits in forwardPropagation (part
 * scratch-forward) and backPropagation is the correct one, so the suite can
 * check that the attack costs no other part its points.
 */
export interface HostileCase {
  name: string;
  /** The whole submission.ts (imports of './scratch.ts', './targets.json' and node: modules allowed). */
  source: string;
  /** Extra files or links to make in the submission folder ('->' for a symlink to a target key or path). */
  files?: Record<string, string>;
  /** What the attacked part's messages must say with every layer on (not checked for a part that passes). */
  verdict: RegExp;
  /** Status of the attacked part with every layer on (default: anything but passed). */
  status?: string;
  /** The correct part is still graded and passes (false for attacks at load time or on the bundle). */
  othersPass?: boolean;
  /** Which part the attack is in (default scratch-forward). */
  part?: string;
}

const head = `import { backPropagation, forwardPropagation as fp } from './scratch.ts';
import targets from './targets.json';
export { backPropagation };
`;
/** A submission whose forwardPropagation runs `body` first (async), then answers correctly. */
const attack = (body: string, imports = '') => `${imports}\n${head}
export async function forwardPropagation(X: number[][], w: any) {
  const t: any = targets;
  ${body}
  return fp(X, w);
}
`;
const atLoad = (body: string, imports = '') => `${imports}\n${head}\n${body}\nexport { fp as forwardPropagation };\n`;

/** A frame as the sandbox channel carries it, written straight to fd 3. */
const frame = `const frame = (m: unknown) => { const b = v8.serialize(m); const h = Buffer.alloc(4); h.writeUInt32BE(b.length); fs.writeSync(3, Buffer.concat([h, b])); };`;

export const CASES: HostileCase[] = [
  // Bundle time: esbuild runs in the trusted grader and would inline what it reads.
  { name: 'import-outside-relative', source: `import secret from '../other-student/secret.ts';\nexport const forwardPropagation = () => secret;\nexport const backPropagation = () => secret;`, verdict: /outside your submission folder/, othersPass: false },
  { name: 'import-absolute-text', source: `import p from '/etc/passwd' with { type: 'text' };\nexport const forwardPropagation = () => p;\nexport const backPropagation = () => p;`, verdict: /import attributes are not allowed|absolute import/, othersPass: false },
  { name: 'import-absolute', source: `import p from '/etc/hostname';\nexport const forwardPropagation = () => p;\nexport const backPropagation = () => p;`, verdict: /absolute import "\/etc\/hostname" refused/, othersPass: false },
  { name: 'import-symlink', source: `import s from './leak.ts';\nexport const forwardPropagation = () => s;\nexport const backPropagation = () => s;`, files: { 'leak.ts': '->otherSecret' }, verdict: /leads to|outside your submission folder/, othersPass: false },
  { name: 'import-text-own-file', source: `import n from './notes.txt';\nexport const forwardPropagation = () => n;\nexport const backPropagation = () => n;`, files: { 'notes.txt': 'hello' }, verdict: /not a source file/, othersPass: false },
  { name: 'import-proc-environ', source: `import e from '/proc/self/environ' with { type: 'text' };\nexport const forwardPropagation = () => e;\nexport const backPropagation = () => e;`, verdict: /import attributes are not allowed/, othersPass: false },
  { name: 'import-via-tsconfig-paths', source: `import s from '@leak/secret.ts';\nexport const forwardPropagation = () => s;\nexport const backPropagation = () => s;`, files: { 'tsconfig.json': JSON.stringify({ compilerOptions: { baseUrl: '.', paths: { '@leak/*': ['../other-student/*'] } } }) }, verdict: /not part of your submission|Could not resolve/, othersPass: false },
  { name: 'import-grader-package', source: `import hb from 'handlebars';\nexport const forwardPropagation = () => String(hb);\nexport const backPropagation = () => 0;`, verdict: /package "handlebars" is not part of your submission/, othersPass: false },
  // Files at run time.
  { name: 'read-other-student', source: attack(`return fs.readFileSync(t.otherSecret, 'utf8');`, `import fs from 'node:fs';`), verdict: /tried to read \/tmp\/nngrade-class-\w+\/other-student\/secret\.ts \(not allowed in the sandbox\)|<sandbox>|no such file/ },
  { name: 'write-canary', source: attack(`fs.writeFileSync(t.canary, 'escaped');`, `import fs from 'node:fs';`), verdict: /tried to write \/tmp\/nngrade-outside-\w+\/canary \(not allowed in the sandbox\)/ },
  { name: 'import-reference-at-run-time', source: attack(`return await import(t.reference);`), verdict: /ERR_ACCESS_DENIED|restricted|Cannot find module|ERR_MODULE_NOT_FOUND/ },
  { name: 'child-process', source: attack(`cp.execSync('touch ' + t.canary);`, `import cp from 'node:child_process';`), verdict: /tried to start a child process \(not allowed in the sandbox\)/ },
  { name: 'diagnostic-writers', source: attack(`try { (process as any).report?.writeReport(t.canary); } catch {}\ntry { process.chdir('/'); } catch {}\n(await import('node:trace_events')).createTracing({ categories: ['node'] }).enable();`), verdict: /tried to write trace events \(not allowed in the sandbox\)/ },
  // The network.
  { name: 'net-tcp', source: attack(`await new Promise((ok, no) => net.connect(t.tcpPort, '127.0.0.1').on('connect', ok).on('error', no));`, `import net from 'node:net';`), verdict: /tried to open a network connection \(not allowed in the sandbox\)/ },
  { name: 'net-udp', source: attack(`await new Promise((ok, no) => dgram.createSocket('udp4').send('x', t.udpPort, '127.0.0.1', (e) => (e ? no(e) : ok(0))));`, `import dgram from 'node:dgram';`), verdict: /tried to send or receive UDP packets/ },
  { name: 'net-dns', source: attack(`await dns.promises.lookup('example.com');`, `import dns from 'node:dns';`), verdict: /tried to look up a host name/ },
  { name: 'net-fetch', source: attack(`await fetch('http://127.0.0.1:' + t.tcpPort + '/leak');`), verdict: /tried to open a network connection/ },
  { name: 'net-http-named-import', source: attack(`await new Promise((ok, no) => request({ host: '127.0.0.1', port: t.tcpPort }).on('error', no).on('response', ok).end());`, `import { request } from 'node:http';`), verdict: /tried to open a network connection/ },
  { name: 'net-listen', source: attack(`await new Promise((ok, no) => net.createServer().listen(0, ok).on('error', no));`, `import net from 'node:net';`), verdict: /tried to listen on a network port/ },
  // Signals.
  { name: 'signal-grader', source: attack(`process.kill(process.ppid, 'SIGKILL');`), verdict: /tried to send a signal to a process/ },
  { name: 'signal-stop-grader', source: attack(`process.kill(process.ppid, 'SIGSTOP');`), verdict: /tried to send a signal/ },
  { name: 'signal-bystander', source: attack(`process.kill(t.bystander, 'SIGKILL');`), verdict: /tried to send a signal/ },
  // The channel.
  { name: 'ipc-garbage-bytes', source: attack(`fs.writeSync(3, Buffer.from([0, 0, 0, 9, 1, 2, 3, 4, 5, 6, 7, 8, 9]));\nawait new Promise((r) => setTimeout(r, 200));`, `import fs from 'node:fs';`), verdict: /sent a malformed result/, othersPass: true },
  { name: 'ipc-huge-frame', source: attack(`fs.writeSync(3, Buffer.from([255, 255, 255, 255]));\nawait new Promise((r) => setTimeout(r, 200));`, `import fs from 'node:fs';`), verdict: /malformed result \(a message of [\d,]+ bytes, over the limit/ },
  { name: 'ipc-forged-other-task', source: attack(`${frame}\nframe({ type: 'result', id: 'scratch-backprop#0', ok: true, value: { L: 0, gradients: {} }, ms: 0 });`, `import fs from 'node:fs';\nimport v8 from 'node:v8';`), verdict: /./, status: 'passed' },
  { name: 'ipc-forged-cyclic', source: attack(`${frame}\nconst c: any = { a: 1 }; c.self = c;\nframe({ type: 'result', id: 'scratch-forward#0', ok: true, value: c, ms: 0 });\nawait new Promise((r) => setTimeout(r, 500));`, `import fs from 'node:fs';\nimport v8 from 'node:v8';`), verdict: /malformed result \(a cycle/ },
  { name: 'ipc-forged-proto-key', source: attack(`${frame}\nframe(JSON.parse('{"type":"result","id":"scratch-forward#0","ok":true,"ms":0,"value":{"__proto__":{"polluted":1}}}'));\nawait new Promise((r) => setTimeout(r, 500));`, `import fs from 'node:fs';\nimport v8 from 'node:v8';`), verdict: /malformed result \(the key "__proto__"/ },
  { name: 'ipc-forged-fault', source: attack(`${frame}\nframe({ type: 'fault', error: { name: 'X', message: 'forged' } });`, `import fs from 'node:fs';\nimport v8 from 'node:v8';`), verdict: /./, status: 'passed' },
  { name: 'printed-forged-results', source: attack(`console.log(JSON.stringify({ type: 'result', id: 'scratch-backprop#0', ok: true, value: 1 }));\nconsole.log('\\u0000nngrade-end-0123456789abcdef01234567');\nprocess.stdout.write('\\u0000nngrade-task-end\\n');`), verdict: /./, status: 'passed' },
  // Output.
  { name: 'output-flood', source: attack(`const line = 'x'.repeat(1023) + '\\n'; for (let i = 0; i < 20000; i++) process.stdout.write(line);`), verdict: /./, status: 'passed' },
  { name: 'terminal-escapes', source: attack(`console.log('\\u001b]0;owned\\u0007\\u001b[2J\\u001b[31mred\\u001b[0m\\u009b31m');\nthrow new Error('\\u001b[2Jcleared \\u001b]8;;http://x\\u0007link');`), verdict: /cleared link/ },
  // Time.
  { name: 'loop-sync', source: attack(`for (;;) {}`), verdict: /did not finish within 2\.0 s/, status: 'timeout' },
  { name: 'loop-microtasks', source: attack(`for (;;) await Promise.resolve();`), verdict: /did not finish within 2\.0 s/, status: 'timeout' },
  { name: 'loop-module-scope', source: atLoad(`for (;;) {}`), verdict: /did not finish loading within 2\.0 s.*top level/, status: 'timeout', othersPass: false },
  { name: 'atomics-wait', source: attack(`Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);`), verdict: /did not finish within/, status: 'timeout' },
  // Memory.
  { name: 'memory-js-heap', source: attack(`const a: unknown[] = []; for (;;) a.push({ x: Math.random(), y: [1, 2, 3] });`), verdict: /used more than 256 MB of memory|did not finish within/ },
  { name: 'memory-typed-arrays', source: attack(`const a: Float64Array[] = []; for (;;) { const b = new Float64Array(16 * 1024 * 1024); b.fill(1); a.push(b); }`), verdict: /used more than 256 MB of memory|Array buffer allocation failed|memory/ },
  { name: 'memory-wasm', source: attack(`const m = new WebAssembly.Memory({ initial: 0, maximum: 65536 }); for (let i = 0; i < 250; i++) { m.grow(256); new Uint8Array(m.buffer, i * 256 * 65536).fill(1); }`), verdict: /used more than 256 MB of memory|memory/ },
  { name: 'deep-recursion', source: attack(`const f = (n: number): number => f(n + 1) + 1; f(0);`), verdict: /RangeError: Maximum call stack size exceeded/ },
  // The process.
  { name: 'process-exit', source: attack(`process.exit(0);`), verdict: /process exited with code 0 during this part/, othersPass: true },
  { name: 'patched-globals-thenable', source: attack(`(Object.prototype as any).then = function () {};`), verdict: /did not finish within|time limit/ },
  { name: 'patched-globals-array', source: attack(`Array.prototype.map = function () { return []; } as any;`), verdict: /./ },
  // Values.
  { name: 'return-nan-infinity', source: attack(`const o = fp(X, w) as any; o.Y = o.Y.map(() => NaN); o.Z2 = o.Z2.map(() => Infinity); return o;`), verdict: /NaN/ },
  { name: 'return-cyclic', source: attack(`const o: any = fp(X, w); o.Y = [o]; return o;`), verdict: /circular|cycle/ },
  { name: 'return-proxy', source: attack(`return new Proxy({}, { ownKeys() { throw new Error('trap'); }, get() { throw new Error('trap'); } });`), verdict: /trap/ },
  { name: 'return-throwing-getter', source: attack(`return { get Y() { throw new Error('getter'); } };`), verdict: /getter/ },
  { name: 'return-huge', source: attack(`return { Y: Array.from({ length: 3000 }, () => Array.from({ length: 3000 }, () => [1])) };`), verdict: /malformed result \(more than|did not finish within|used more than \d+ MB of memory/ },
  // (9 M nested arrays: whichever limit trips first, the frame cap, the time limit or the memory watchdog, is the verdict.)
  { name: 'throw-non-error', source: attack(`throw 42;`), verdict: /threw the value 42 \(not an Error\)/ },
  { name: 'unhandled-rejection-and-late-throw', source: attack(`Promise.reject(new Error('stray rejection'));\nsetTimeout(() => { throw new Error('late'); }, 50);`), verdict: /an error escaped the call \(Error: stray rejection\)/, othersPass: true },
  { name: 'long-stack-line', source: attack(`throw Object.assign(new Error('long'), { stack: 'Error: long\\n    at ' + '('.repeat(3_000_000) + ':1:1)' });`), verdict: /long/ },
];

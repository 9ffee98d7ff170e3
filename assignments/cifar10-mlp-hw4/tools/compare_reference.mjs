// Compare the TypeScript reference with NumPy on the homework's seed-0 network.
//   node assignments/cifar10-mlp-hw4/tools/compare_reference.mjs [python]
// (python defaults to /usr/bin/python3, which must have NumPy). Exits 1 on a mismatch.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const python = process.argv[2] ?? '/usr/bin/python3';
const np = JSON.parse(execFileSync(python, [path.join(here, 'check_numpy.py'), '--json'], { encoding: 'utf8', maxBuffer: 1 << 26 }));
// The reference also builds TensorFlow.js models, which this comparison does not use: tf is stubbed out.
const noTf = { name: 'no-tf', setup(b) { b.onResolve({ filter: /^@tensorflow\// }, (a) => ({ path: a.path, namespace: 'no-tf' })); b.onLoad({ filter: /.*/, namespace: 'no-tf' }, () => ({ contents: 'export {}', loader: 'js' })); } };
const out = await build({ entryPoints: [path.join(here, '../../../reference/cifar10-mlp-hw4/index.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [noTf] });
const ref = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));

const { X, Y, weights } = np.inputs;
const maxRel = (a, b) => Math.max(...[a].flat(2).map((v, k) => Math.abs(v - [b].flat(2)[k]) / Math.max(1e-12, Math.abs([b].flat(2)[k]))));
let ok = true;
const report = (what, diff, limit) => {
  const pass = diff <= limit;
  ok &&= pass;
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${what}: ${diff.toExponential(3)} (limit ${limit})`);
};
const { L, gradients } = ref.backPropagation(X, Y, weights);
report('Y vs NumPy (max rel)', maxRel(ref.forwardPropagation(X, weights).Y, np.Y), 1e-13);
report('L vs NumPy', Math.abs(L - np.L), 1e-15);
report('L vs the homework 0.1332476222330792 (bit for bit)', Math.abs(L - 0.1332476222330792), 0);
for (const k of ['W1', 'b1', 'W2', 'b2']) report(`gradients.${k} vs NumPy (max rel)`, maxRel(gradients[k], np.grads[k]), 1e-11);
console.log(`reference L = ${L}`);
process.exit(ok ? 0 : 1);

// Compare the TypeScript reference with NumPy on the CS231n toy model.
//   node assignments/two-layer-net-cifar10/tools/compare_reference.mjs [python]
// (python defaults to /usr/bin/python3, which must have NumPy). Exits 1 on a mismatch.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const python = process.argv[2] ?? '/usr/bin/python3';
const np = JSON.parse(execFileSync(python, [path.join(here, 'check_numpy.py'), '--json'], { encoding: 'utf8' }));
// The reference also builds TensorFlow.js models, which this comparison does not use: tf is stubbed out.
const noTf = { name: 'no-tf', setup(b) { b.onResolve({ filter: /^@tensorflow\// }, (a) => ({ path: a.path, namespace: 'no-tf' })); b.onLoad({ filter: /.*/, namespace: 'no-tf' }, () => ({ contents: 'export {}', loader: 'js' })); } };
const out = await build({ entryPoints: [path.join(here, '../../../reference/two-layer-net-cifar10/index.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [noTf] });
const ref = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));

const { params, X, y, reg } = np.inputs;
const maxDiff = (a, b) => Math.max(...[a].flat(3).map((v, i) => Math.abs(v - [b].flat(3)[i])));
const scores = ref.loss(params, X);
const { loss, grads } = ref.loss(params, X, y, reg);
let ok = true;
const report = (what, diff, limit) => {
  const pass = diff <= limit;
  ok &&= pass;
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${what}: max |difference| ${diff.toExponential(3)} (limit ${limit})`);
};
report('scores vs NumPy', maxDiff(scores, np.scores), 1e-12);
report('scores vs published (8 decimals)', maxDiff(scores, np.published.scores), 5e-9);
report('loss vs NumPy', Math.abs(loss - np.loss), 1e-12);
report('loss vs published 1.30378789133', Math.abs(loss - np.published.loss), 1e-12);
for (const k of ['W1', 'b1', 'W2', 'b2']) report(`grads.${k} vs NumPy`, maxDiff(grads[k], np.grads[k]), 1e-12);
console.log(`reference loss at reg=0.05: ${loss.toPrecision(15)}`);
process.exit(ok ? 0 : 1);

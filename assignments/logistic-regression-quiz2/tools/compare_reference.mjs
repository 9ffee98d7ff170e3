// Compare the TypeScript reference with NumPy on the quiz's tests and the
// gradient-descent problem.
//   node assignments/logistic-regression-quiz2/tools/compare_reference.mjs [python]
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
const out = await build({ entryPoints: [path.join(here, '../../../reference/logistic-regression-quiz2/index.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [noTf] });
const ref = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));

const i = np.inputs;
const maxDiff = (a, b) => Math.max(...[a].flat(2).map((v, k) => Math.abs(v - [b].flat(2)[k])));
let ok = true;
const report = (what, diff, limit) => {
  const pass = diff <= limit;
  ok &&= pass;
  console.log(`${pass ? 'ok  ' : 'FAIL'} ${what}: ${diff.toExponential(3)} (limit ${limit})`);
};
const L3 = ref.L(i.w10, i.X20, i.y20);
report('L seed 1000 vs NumPy', Math.abs(L3 - np.L3), 1e-13);
report('L seed 1000 vs the quiz 1.08007365415', Math.abs(L3 - 1.08007365415), 1e-9);
const dL3 = ref.dL(i.w3, i.X200, i.y200);
report('dL seed 1000 vs NumPy', maxDiff(dL3, np.dL3), 1e-14);
report('dL seed 1000 vs the quiz (norm)', Math.hypot(...dL3.map((v, k) => v - [-0.12669153, -0.00341384, 0.02274541][k])), 1e-6);
report('L edge cases vs NumPy', maxDiff([ref.L([1000], [[1000]], [0]), ref.L([1000], [[1000]], [1]), ref.L([-1000], [[1000]], [1])], np.edge), 1e-9);
report('dL edge cases vs NumPy', maxDiff([ref.dL([1000], [[1000]], [0]), ref.dL([1000], [[1000]], [1])], np.edgeGrad), 1e-9);
const { ws } = ref.gradientDescent([0, 0, 0, 0, 0], i.X, i.y, 50, 0.01, 0.5);
report('gradient descent losses vs NumPy', maxDiff(ws.map((w) => ref.L(w, i.X, i.y)), np.gdLosses), 1e-10);
console.log(`reference: L = ${L3.toPrecision(13)}, dL = [${dL3.map((v) => v.toPrecision(9)).join(', ')}], final GD loss ${ref.L(ws.at(-1), i.X, i.y).toPrecision(11)}`);
process.exit(ok ? 0 : 1);

// Compare the reference's computed answers with NumPy's.
//   node assignments/mnist-cnn-hw5/tools/compare_reference.mjs [python]
// (python defaults to /usr/bin/python3, which must have NumPy ≥ 1.20). Exits 1 on a mismatch.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const python = process.argv[2] ?? '/usr/bin/python3';
const np = JSON.parse(execFileSync(python, [path.join(here, 'check_numpy.py'), '--json'], { encoding: 'utf8' }));
// The reference also builds TensorFlow.js models, which this comparison does not use: tf is stubbed out.
const noTf = { name: 'no-tf', setup(b) { b.onResolve({ filter: /^@tensorflow\// }, (a) => ({ path: a.path, namespace: 'no-tf' })); b.onLoad({ filter: /.*/, namespace: 'no-tf' }, () => ({ contents: 'export {}', loader: 'js' })); } };
const out = await build({ entryPoints: [path.join(here, '../../../reference/mnist-cnn-hw5/index.ts')], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent', plugins: [noTf] });
const ref = await import('data:text/javascript;base64,' + Buffer.from(out.outputFiles[0].text).toString('base64'));
let ok = true;
for (const [k, v] of Object.entries(np)) {
  const same = JSON.stringify(ref.answers[k]) === JSON.stringify(v);
  ok &&= same;
  console.log(`${same ? 'ok  ' : 'FAIL'} ${k}: reference ${JSON.stringify(ref.answers[k])}${same ? '' : `, NumPy ${JSON.stringify(v)}`}`);
}
process.exit(ok ? 0 : 1);

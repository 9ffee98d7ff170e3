// Speed of the NumPy-compatible RandomState next to NumPy itself (medians of 7 runs).
// Run: node bench/numpy-random.mjs   (needs `npm run build`-free esbuild transform; uses /usr/bin/python3 with numpy if present)
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const out = 'bench/output/tmp/numpy-random.mjs';
await build({ entryPoints: ['grader/fixtures/numpy-random.ts'], bundle: true, format: 'esm', platform: 'node', outfile: out, logLevel: 'silent' });
const { RandomState } = await import(pathToFileURL(out).href);
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (f) => { const xs = []; for (let i = 0; i < 7; i++) { const t = performance.now(); f(); xs.push(performance.now() - t); } return median(xs); };
const rs = new RandomState(0);
rs.rand(1e5);
const js = { rand: time(() => rs.rand(1e6)), randn: time(() => rs.randn(1e6)), randint: time(() => rs.randint(0, 10, 1e6)) };
let py = null;
if (existsSync('/usr/bin/python3')) {
  try {
    py = JSON.parse(execFileSync('/usr/bin/python3', ['-c', `
import json, time, numpy as np
def t(f):
    xs=[]
    for _ in range(7):
        s=time.perf_counter(); f(); xs.append((time.perf_counter()-s)*1000)
    return sorted(xs)[3]
np.random.seed(0)
print(json.dumps({"rand": t(lambda: np.random.rand(10**6)), "randn": t(lambda: np.random.randn(10**6)), "randint": t(lambda: np.random.randint(0, 10, 10**6))}))
`], { encoding: 'utf8' }));
  } catch { py = null; }
}
console.log('1e6 draws, median of 7 (ms)');
for (const k of Object.keys(js)) console.log(`${k.padEnd(8)} nngrade ${js[k].toFixed(1).padStart(7)}   numpy ${py ? py[k].toFixed(1).padStart(7) : '   n/a'}   ratio ${py ? (js[k] / py[k]).toFixed(2) : 'n/a'}`);

import { describe, expect, it, afterAll } from 'vitest';
import { createHash } from 'node:crypto';
import { RandomState, logCorrectlyRounded } from '../grader/fixtures/numpy-random.ts';
import type { NDArray } from '../grader/fixtures/ndarray.ts';
import {
  type Encoded,
  type JsonArg,
  decodeFloats,
  decodeInts,
  isBig,
  loadJson,
  sha256Float64,
  sha256Int64,
  ulpDistance,
  ulpOf,
} from './data/numpy/vectors.ts';

interface Step {
  fn: string;
  args: JsonArg[];
  kwargs?: Record<string, JsonArg>;
  expect: Encoded;
}
interface Case {
  seed: number;
  kind: string;
  steps: Step[];
  state?: { pos: number; has_gauss: boolean; gauss_b64: string };
}
interface Vectors {
  numpy_version: string;
  seeds: { seed: number; pos: number; key_head: number[]; key_sha256: string }[];
  cases: Case[];
  hashes: Case[];
  log_correctly_rounded: { x: Encoded; log: Encoded };
}

const V = loadJson<Vectors>('random.json');
const MAX_ULP = 4;
/** Largest ulp distance seen in any gaussian-derived value, per function. */
const maxUlp: Record<string, number> = {};
/** How many gaussian-derived values were bit-identical to NumPy's. */
const bitExact = { same: 0, total: 0 };

/** Positional parameter order of the keyword-capable methods. */
const PARAMS: Record<string, string[]> = {
  random_sample: ['size'],
  standard_normal: ['size'],
  normal: ['loc', 'scale', 'size'],
  uniform: ['low', 'high', 'size'],
  randint: ['low', 'high', 'size'],
  permutation: ['n'],
};

function plain(a: JsonArg): any {
  if (isBig(a)) return BigInt(a.big);
  if (Array.isArray(a)) return a.map(plain);
  return a;
}

/** Replay one recorded call. Big-integer randint goes through randintBigInt. */
function run(rs: RandomState, step: Step): NDArray | { shape: number[]; data: BigInt64Array } {
  let args = step.args.map(plain);
  if (step.kwargs) {
    const names = PARAMS[step.fn];
    const full: any[] = [...args];
    for (const [k, v] of Object.entries(step.kwargs)) full[names.indexOf(k)] = plain(v);
    args = full;
  }
  switch (step.fn) {
    case 'rand': return rs.rand(...args);
    case 'randn': return rs.randn(...args);
    case 'random_sample': return rs.random_sample(args[0]);
    case 'standard_normal': return rs.standard_normal(args[0]);
    case 'normal': return rs.normal(args[0], args[1], args[2]);
    case 'uniform': return rs.uniform(args[0], args[1], args[2]);
    case 'permutation': return rs.permutation(args[0]);
    case 'randint':
      if (step.expect.b64 || args.some((a) => typeof a === 'bigint')) return rs.randintBigInt(args[0], args[1], args[2]);
      return rs.randint(args[0], args[1], args[2]);
    default: throw new Error(`unknown fn ${step.fn}`);
  }
}

const GAUSSIAN = new Set(['randn', 'standard_normal', 'normal']);

function checkStep(got: ReturnType<typeof run>, step: Step, label: string) {
  expect(got.shape, `${label} shape`).toEqual(step.expect.shape);
  if (step.expect.dtype === 'int64') {
    const want = decodeInts(step.expect);
    const have = got.data instanceof BigInt64Array ? got.data : BigInt64Array.from(got.data, (x) => BigInt(x));
    if ('dtype' in got) expect(got.dtype).toBe('int64');
    expect(have.length).toBe(want.length);
    for (let i = 0; i < want.length; i++) if (have[i] !== want[i]) expect(`${label}[${i}] = ${have[i]}`).toBe(`${label}[${i}] = ${want[i]}`);
    return;
  }
  const want = decodeFloats(step.expect);
  const have = got.data as Float64Array;
  expect((got as NDArray).dtype).toBe('float64');
  expect(have.length).toBe(want.length);
  if (GAUSSIAN.has(step.fn)) {
    // normal() returns loc + scale*z: a last-bit difference in z can become many ulps of a
    // result that nearly cancels, so measure its error in ulps of the larger term instead.
    const loc = step.fn === 'normal' ? Number(plain(step.kwargs?.loc ?? step.args[0] ?? 0)) : 0;
    let worst = 0;
    for (let i = 0; i < want.length; i++) {
      const d = step.fn === 'normal' ? Math.abs(have[i] - want[i]) / ulpOf(Math.max(Math.abs(loc), Math.abs(want[i] - loc))) : ulpDistance(have[i], want[i]);
      if (d > worst) worst = d;
      if (d > MAX_ULP) expect(`${label}[${i}] = ${have[i]}`).toBe(`${label}[${i}] = ${want[i]} (within ${MAX_ULP} ulp)`);
    }
    maxUlp[step.fn] = Math.max(maxUlp[step.fn] ?? 0, worst);
    bitExact.total += want.length;
    for (let i = 0; i < want.length; i++) if (Object.is(have[i], want[i])) bitExact.same++;
  } else {
    // Uniform draws must be bit-identical.
    for (let i = 0; i < want.length; i++) if (!Object.is(have[i], want[i])) expect(`${label}[${i}] = ${have[i]}`).toBe(`${label}[${i}] = ${want[i]}`);
  }
}

function callText(s: Step): string {
  const kw = s.kwargs ? Object.entries(s.kwargs).map(([k, v]) => `${k}=${JSON.stringify(v)}`) : [];
  const args = [...s.args.map((a) => JSON.stringify(a)), ...kw].join(', ');
  return `${s.fn}(${args.length > 40 ? args.slice(0, 40) + '…' : args})`;
}

describe(`RandomState matches NumPy ${V.numpy_version} legacy draws`, () => {
  describe('seeding', () => {
    for (const s of V.seeds) {
      it(`seed ${s.seed}: MT19937 key and pos equal np.random.RandomState(${s.seed}).get_state()`, () => {
        const st = new RandomState(s.seed).getState();
        expect(st.pos).toBe(s.pos);
        expect(Array.from(st.key.subarray(0, 4))).toEqual(s.key_head);
        expect(createHash('sha256').update(new Uint8Array(st.key.buffer)).digest('hex')).toBe(s.key_sha256);
        expect(st.hasGauss).toBe(false);
      });
    }
  });

  const groups: Record<string, Case[]> = {};
  for (const c of V.cases) (groups[c.kind] ??= []).push(c);

  for (const [kind, cases] of Object.entries(groups)) {
    describe(kind, () => {
      for (const c of cases) {
        const name = kind === 'single' ? callText(c.steps[0]) : `${c.steps.length} calls on one stream`;
        it(`seed ${c.seed}: ${name}`, () => {
          const rs = new RandomState(c.seed);
          c.steps.forEach((step, i) => checkStep(run(rs, step), step, `step ${i + 1} ${callText(step)}`));
          if (c.state) {
            const st = rs.getState();
            expect(st.pos, 'MT position after the calls').toBe(c.state.pos);
            expect(st.hasGauss, 'has_gauss after the calls').toBe(c.state.has_gauss);
            const cached = decodeFloats({ shape: [1], dtype: 'float64', b64: c.state.gauss_b64 })[0];
            expect(ulpDistance(st.gauss, cached)).toBeLessThanOrEqual(MAX_ULP);
          }
        });
      }
    });
  }

  describe('long streams (SHA-256 of the bytes)', () => {
    for (const c of V.hashes) {
      const step = c.steps[0];
      it(`seed ${c.seed}: ${callText(step)}`, () => {
        const got = run(new RandomState(c.seed), step) as NDArray;
        expect(got.shape).toEqual(step.expect.shape);
        const digest = got.dtype === 'int64' ? sha256Int64(got.data) : sha256Float64(got.data);
        expect(digest).toBe(step.expect.sha256);
      });
    }
  });

  afterAll(() => {
    const summary = Object.entries(maxUlp).map(([fn, u]) => `${fn} ${u}`).join(', ');
    console.log(`[fixtures-random] max ulp distance vs NumPy (gaussian draws): ${summary || 'n/a'}; bit-identical ${bitExact.same}/${bitExact.total}`);
  });
});

describe('RandomState API', () => {
  it('seed 0 homework draw: W1 = randn(3, 2), b1 = zeros(3), W2 = randn(3)', () => {
    const rs = new RandomState(0);
    const W1 = rs.randn(3, 2);
    const W2 = rs.randn(3);
    expect(W1.shape).toEqual([3, 2]);
    const want = [1.76405235, 0.40015721, 0.97873798, 2.2408932, 1.86755799, -0.97727788];
    want.forEach((w, i) => expect(Math.abs(W1.data[i] - w)).toBeLessThan(1e-8));
    [0.95008842, -0.15135721, -0.10321885].forEach((w, i) => expect(Math.abs(W2.data[i] - w)).toBeLessThan(1e-8));
  });

  it('logCorrectlyRounded agrees with a 60-digit reference on every input', () => {
    const xs = decodeFloats(V.log_correctly_rounded.x);
    const want = decodeFloats(V.log_correctly_rounded.log);
    let wrong = 0;
    let mathLogWrong = 0;
    xs.forEach((x, i) => {
      if (logCorrectlyRounded(x) !== want[i]) wrong++;
      if (Math.log(x) !== want[i]) mathLogWrong++;
    });
    console.log(`[fixtures-random] correctly rounded log: ${xs.length - wrong}/${xs.length} (Math.log: ${xs.length - mathLogWrong}/${xs.length})`);
    expect(wrong).toBe(0);
    expect(logCorrectlyRounded(1)).toBe(0);
    expect(logCorrectlyRounded(0)).toBe(-Infinity);
    expect(logCorrectlyRounded(Infinity)).toBe(Infinity);
    expect(logCorrectlyRounded(-1)).toBeNaN();
  });

  it('calls without a size return 0-d arrays', () => {
    const rs = new RandomState(0);
    for (const a of [rs.rand(), rs.randn(), rs.random_sample(), rs.standard_normal(), rs.normal(), rs.uniform(), rs.randint(5)]) {
      expect(a.shape).toEqual([]);
      expect(a.data.length).toBe(1);
    }
    expect(rs.randint(3, 4).dtype).toBe('int64');
  });

  it('seed() restarts the stream and clears the cached gaussian', () => {
    const rs = new RandomState(5);
    const first = Array.from(rs.randn(3).data); // leaves a cached value
    expect(rs.getState().hasGauss).toBe(true);
    rs.seed(5);
    expect(rs.getState().hasGauss).toBe(false);
    expect(Array.from(rs.randn(3).data)).toEqual(first);
  });

  it('randint beyond 2**53 agrees with randintBigInt (rounded)', () => {
    const a = new RandomState(9).randint(-(2 ** 62), 2 ** 62, 50);
    const b = new RandomState(9).randintBigInt(-(2n ** 62n), 2n ** 62n, 50);
    expect(Array.from(a.data)).toEqual(Array.from(b.data, Number));
  });

  it('shuffle permutes rows of a 2-d array like permutation() orders indices', () => {
    const rs = new RandomState(3);
    const idx = rs.permutation(6);
    const rows = { shape: [6, 2], data: Float64Array.from({ length: 12 }, (_, i) => i), dtype: 'float64' as const };
    new RandomState(3).shuffle(rows);
    for (let r = 0; r < 6; r++) expect([rows.data[2 * r], rows.data[2 * r + 1]]).toEqual([2 * idx.data[r], 2 * idx.data[r] + 1]);
  });

  it('rejects bad arguments with NumPy-like messages', () => {
    const rs = new RandomState(0);
    expect(() => rs.randint(5, 3)).toThrow(/low >= high \(low=5, high=3\)/);
    expect(() => rs.randint(5, 5)).toThrow(/low >= high/);
    expect(() => rs.randint(0)).toThrow(/high <= 0/);
    expect(() => rs.randint(1.5, 3)).toThrow(/low must be an integer, got 1.5/);
    expect(() => rs.randint(0, 2 ** 64)).toThrow(/high is out of bounds for int64/);
    expect(() => rs.randn(-1)).toThrow(/negative dimensions are not allowed/);
    expect(() => rs.rand(2.5)).toThrow(/size must contain integers, got 2.5/);
    expect(() => rs.normal(0, -1)).toThrow(/scale < 0/);
    expect(() => rs.uniform(-Number.MAX_VALUE, Number.MAX_VALUE)).toThrow(/range exceeds valid bounds/);
    expect(() => rs.permutation(-1)).toThrow(/non-negative integer/);
    expect(() => new RandomState(-1)).toThrow(/between 0 and 2\*\*32 - 1/);
    expect(() => new RandomState(2 ** 32)).toThrow(/between 0 and 2\*\*32 - 1/);
  });
});

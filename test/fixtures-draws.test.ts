import { afterAll, describe, expect, it } from 'vitest';
import { DRAW_FUNCTIONS, DrawError, evaluateDraws } from '../grader/fixtures/draws.ts';
import { writeNpy } from '../grader/fixtures/npy.ts';
import { type Encoded, decodeFloats, decodeInts, loadJson, ulpDistance } from './data/numpy/vectors.ts';

/** draws.json also has float32 arrays (their values stored widened to float64). */
type DrawEncoded = Omit<Encoded, 'dtype'> & { dtype: Encoded['dtype'] | 'float32' };
interface DrawCase {
  seed: number;
  statements: string[];
  expect: Record<string, DrawEncoded>;
}
const D = loadJson<{ numpy_version: string; cases: DrawCase[] }>('draws.json');
const MAX_ULP = 4;
let worstUlp = 0;
let worstUlp32 = 0;
let float32Values = 0;
let float32Exact = 0;

const f32 = new Float32Array(1);
const i32 = new Int32Array(f32.buffer);
/** Monotone integer key of a float32: adjacent floats differ by 1. */
function orderedBits32(x: number): number {
  f32[0] = x;
  return i32[0] >= 0 ? i32[0] : -0x80000000 - i32[0];
}
/** Distance in float32 units in the last place. */
function ulpDistance32(a: number, b: number): number {
  if (Number.isNaN(a) || Number.isNaN(b)) return Number.isNaN(a) && Number.isNaN(b) ? 0 : Infinity;
  return Math.abs(orderedBits32(a) - orderedBits32(b));
}

function errorOf(seed: number, statements: string[]): DrawError {
  try {
    evaluateDraws(seed, statements);
  } catch (e) {
    expect(e).toBeInstanceOf(DrawError);
    return e as DrawError;
  }
  throw new Error('expected a DrawError');
}

const headline = (e: Error) => e.message;

describe(`evaluateDraws matches NumPy ${D.numpy_version}`, () => {
  for (const c of D.cases) {
    it(`seed ${c.seed}: ${c.statements.join('; ').slice(0, 90)}`, () => {
      const got = evaluateDraws(c.seed, c.statements);
      expect(Object.keys(got)).toEqual(Object.keys(c.expect));
      for (const [name, want] of Object.entries(c.expect)) {
        const a = got[name];
        expect(a.shape, `${name}.shape`).toEqual(want.shape);
        expect(a.dtype, `${name}.dtype`).toBe(want.dtype);
        if (want.dtype === 'int64') {
          expect(Array.from(a.data), name).toEqual(Array.from(decodeInts(want as Encoded), Number));
        } else if (want.dtype === 'float32') {
          // Every value must be a float32; compared in float32 ulps.
          decodeFloats(want as Encoded).forEach((v, i) => {
            expect(Math.fround(a.data[i]), `${name}[${i}] is not a float32 value`).toBe(Number.isNaN(a.data[i]) ? NaN : a.data[i]);
            const d = ulpDistance32(a.data[i], v);
            worstUlp32 = Math.max(worstUlp32, d);
            float32Values++;
            if (d === 0) float32Exact++;
            expect(d, `${name}[${i}] = ${a.data[i]}, NumPy ${v} (float32)`).toBeLessThanOrEqual(MAX_ULP);
          });
        } else {
          const w = decodeFloats(want as Encoded);
          w.forEach((v, i) => {
            const d = ulpDistance(a.data[i], v);
            worstUlp = Math.max(worstUlp, d);
            expect(d, `${name}[${i}] = ${a.data[i]}, NumPy ${v}`).toBeLessThanOrEqual(MAX_ULP);
          });
        }
      }
    });
  }

  it('seed 0 homework values', () => {
    const r = evaluateDraws(0, ['W1 = randn(3, 2)', 'b1 = zeros(3)', 'W2 = randn(3)', 'b2 = 0']);
    const W1 = [1.76405235, 0.40015721, 0.97873798, 2.2408932, 1.86755799, -0.97727788];
    W1.forEach((w, i) => expect(Math.abs(r.W1.data[i] - w)).toBeLessThan(1e-8));
    [0.95008842, -0.15135721, -0.10321885].forEach((w, i) => expect(Math.abs(r.W2.data[i] - w)).toBeLessThan(1e-8));
    expect(r.b2).toEqual({ shape: [], data: Float64Array.of(0), dtype: 'int64' });
    expect(r.b1.dtype).toBe('float64');
  });

  afterAll(() =>
    console.log(
      `[fixtures-draws] max ulp distance vs NumPy: ${worstUlp} (float64); float32: ${worstUlp32} float32 ulp, bit-identical ${float32Exact}/${float32Values}`,
    ),
  );
});

describe('evaluateDraws language details', () => {
  it('accepts np. / np.random. prefixes, tuples and lists as shapes, None', () => {
    const a = evaluateDraws(3, ['a = np.random.randn(2, 2)', 'z = np.zeros((2, 2))', 'o = ones([2, 1])', 'n = normal(0, 1, None)']);
    const b = evaluateDraws(3, ['a = randn(2, 2)']);
    expect(Array.from(a.a.data)).toEqual(Array.from(b.a.data));
    expect(a.z.shape).toEqual([2, 2]);
    expect(a.o.shape).toEqual([2, 1]);
    expect(a.n.shape).toEqual([]);
  });

  it('ignores trailing comments', () => {
    expect(evaluateDraws(0, ['W1 = randn(3, 2)  # first layer']).W1.data[0]).toBeCloseTo(1.76405235, 8);
  });

  it('zeros/ones also take dimensions d0, d1, ...', () => {
    expect(evaluateDraws(0, ['z = zeros(2, 3)']).z.shape).toEqual([2, 3]);
  });

  it('operator precedence and associativity follow Python', () => {
    const r = evaluateDraws(0, ['a = 2 ** 3 ** 2', 'b = -2 ** 2', 'c = 2 * -3 + 10 / 4', 'd = (1 + 2) * 3', 'e = 2 ** -1', 'f = 1e-3 + .5']);
    expect(r.a.data[0]).toBe(512);
    expect(r.a.dtype).toBe('int64');
    expect(r.b.data[0]).toBe(-4);
    expect(r.c.data[0]).toBe(-3.5);
    expect(r.d.data[0]).toBe(9);
    expect(r.e).toEqual({ shape: [], data: Float64Array.of(0.5), dtype: 'float64' });
    expect(r.f.data[0]).toBe(0.501);
  });

  it('full broadcasting', () => {
    const r = evaluateDraws(0, ['a = [[1], [2], [3]] * [10, 20]', 'b = zeros((2, 1, 3)) + [[1], [2]]']);
    expect(r.a.shape).toEqual([3, 2]);
    expect(Array.from(r.a.data)).toEqual([10, 20, 20, 40, 30, 60]);
    expect(r.b.shape).toEqual([2, 2, 3]);
    expect(Array.from(r.b.data)).toEqual([1, 1, 1, 2, 2, 2, 1, 1, 1, 2, 2, 2]);
  });

  it('knows its functions', () => {
    expect(DRAW_FUNCTIONS).toEqual(
      expect.arrayContaining(['rand', 'randn', 'random_sample', 'standard_normal', 'normal', 'uniform', 'randint', 'permutation', 'choice', 'zeros', 'ones', 'full', 'array', 'arange', 'linspace', 'eye']),
    );
  });

  it('tuple assignment: a bare tuple, a parenthesized one, a list literal, an array unpacked along its first axis', () => {
    const r = evaluateDraws(4, ['N, D = 4, 5', 'a, b = (randn(2), randn(3))', 'r0, r1 = randn(2, 3)', 's, t = [rand(2), 7]', 'u, = rand(1)', 'X = randn(N, D)']);
    const same = evaluateDraws(4, ['a = randn(2)', 'b = randn(3)', 'R = randn(2, 3)', 's = rand(2)', 'u = rand(1)', 'X = randn(4, 5)']);
    expect(Object.keys(r)).toEqual(['N', 'D', 'a', 'b', 'r0', 'r1', 's', 't', 'u', 'X']);
    expect(r.N).toEqual({ shape: [], data: Float64Array.of(4), dtype: 'int64' });
    expect(r.D.data[0]).toBe(5);
    expect(r.a).toEqual(same.a);
    expect(r.b).toEqual(same.b);
    expect(r.r0.shape).toEqual([3]);
    expect([...r.r0.data, ...r.r1.data]).toEqual([...same.R.data]);
    expect(r.s).toEqual(same.s);
    expect(r.t).toEqual({ shape: [], data: Float64Array.of(7), dtype: 'int64' });
    expect(r.u).toEqual({ shape: [], data: same.u.data, dtype: 'float64' });
    expect(r.X).toEqual(same.X);
    expect(evaluateDraws(0, ['x = 1, 2']).x).toEqual({ shape: [2], data: Float64Array.of(1, 2), dtype: 'int64' });
  });

  it('postfix binds tighter than ** and unary minus, and works on any atom', () => {
    const r = evaluateDraws(0, ['x = [[1, 2, 3], [4, 5, 6]]', 'a = -x.T ** 2', 'b = (x + 1).reshape(3, 2)', 'c = randn(3, 4).T', 'd = x.reshape(-1)', 'e = 2 ** x.T.T']);
    expect(r.a.shape).toEqual([3, 2]);
    expect(Array.from(r.a.data)).toEqual([-1, -16, -4, -25, -9, -36]);
    expect(Array.from(r.b.data)).toEqual([2, 3, 4, 5, 6, 7]);
    expect(r.b.shape).toEqual([3, 2]);
    const c = evaluateDraws(0, ['c = randn(3, 4)']).c;
    expect(r.c.shape).toEqual([4, 3]);
    expect(r.c.data[1 * 3 + 2]).toBe(c.data[2 * 4 + 1]);
    expect(r.d).toEqual({ shape: [6], data: Float64Array.of(1, 2, 3, 4, 5, 6), dtype: 'int64' });
    expect(Array.from(r.e.data)).toEqual([2, 4, 8, 16, 32, 64]);
  });

  it('.T reverses every axis of a 3-d array; 0-d and 1-d arrays are unchanged', () => {
    const r = evaluateDraws(0, ['a = arange(24).reshape(2, 3, 4)', 'b = a.T', 'c = arange(3).T', 'd = array(5).T']);
    expect(r.b.shape).toEqual([4, 3, 2]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(r.b.data[k * 6 + j * 2 + i]).toBe(r.a.data[i * 12 + j * 4 + k]);
    expect(r.c).toEqual(evaluateDraws(0, ['c = arange(3)']).c);
    expect(r.d.shape).toEqual([]);
  });

  it('reshape: dims, a tuple, a list, one -1, and ()', () => {
    const r = evaluateDraws(0, ['a = arange(12).reshape(3, -1)', 'b = arange(12).reshape((-1, 2, 3))', 'c = arange(12).reshape([4, 3])', 'd = full(1, 2.5).reshape(())', 'e = zeros((0, 4)).reshape(-1, 2)']);
    expect([r.a.shape, r.b.shape, r.c.shape, r.d.shape, r.e.shape]).toEqual([[3, 4], [2, 2, 3], [4, 3], [], [0, 2]]);
  });

  it('np. / numpy. / np.random. prefixes still work, also before a postfix', () => {
    const a = evaluateDraws(8, ['a = np.random.randn(3, 4).T', 'b = numpy.random.choice(5, 3)', 'c = np.linspace(0, 1, 3)', 'd = np.array([1, 2], dtype=np.float32)', 'e = numpy.zeros(2, dtype=numpy.int64)']);
    const b = evaluateDraws(8, ['a = randn(3, 4).T', 'b = choice(5, 3)', 'c = linspace(0, 1, 3)', 'd = array([1, 2], dtype=np.float32)', 'e = zeros(2, dtype=int)']);
    expect(a).toEqual(b);
    expect(a.d.dtype).toBe('float32');
    expect(a.e.dtype).toBe('int64');
  });

  it('NumPy 2 (NEP 50) promotion: Python numbers are weak, arrays are not', () => {
    const r = evaluateDraws(0, [
      'x = rand(3).astype(np.float32)', 'i = [1, 2, 3]', 's = 2.5', 'n = 3',
      'a = x * 2.5', 'b = x * 2', 'c = x * s', 'd = x * n', 'e = x + randn(3)', 'f = i * x', 'g = i * 2.5', 'h = i / 2',
      'k = x * randn()', 'l = x * randint(1, 3)', 'm = [x, x]', 'o = [x, [1.0, 2, 3]]', 'p = x ** 2', 'q = -x', 'r = x.astype(float) + x',
    ]);
    const dtypes = Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v.dtype]));
    expect(dtypes).toEqual({
      x: 'float32', i: 'int64', s: 'float64', n: 'int64',
      a: 'float32', b: 'float32', c: 'float64', d: 'float64', e: 'float64', f: 'float64', g: 'float64', h: 'float64',
      k: 'float32', l: 'float32', m: 'float32', o: 'float64', p: 'float32', q: 'float32', r: 'float64',
    });
  });

  it('float32 arithmetic rounds once per operation, after casting Python numbers to float32', () => {
    const r = evaluateDraws(5, ['x = randn(4).astype(np.float32)', 'y = x * 0.1 + 1', 'z = x / 3 - x * x']);
    const x = Array.from(r.x.data);
    x.forEach((v) => expect(Math.fround(v)).toBe(v));
    x.forEach((v, i) => expect(r.y.data[i]).toBe(Math.fround(Math.fround(v * Math.fround(0.1)) + 1)));
    x.forEach((v, i) => expect(r.z.data[i]).toBe(Math.fround(Math.fround(v / 3) - Math.fround(v * v))));
  });

  it('astype(int) truncates toward zero; dtype= on the constructors', () => {
    const r = evaluateDraws(0, ['a = [2.7, -2.7, 0.5, -0.5].astype(int)', 'b = full(2, 3.9, dtype=int)', 'c = ones(2, dtype=np.float32)', 'd = eye(2, dtype=int)', "e = arange(3, dtype='float32')", 'f = array([1, 2], dtype=float)']);
    expect(Array.from(r.a.data)).toEqual([2, -2, 0, 0]);
    expect(r.a.dtype).toBe('int64');
    expect([r.b.dtype, r.c.dtype, r.d.dtype, r.e.dtype, r.f.dtype]).toEqual(['int64', 'float32', 'int64', 'float32', 'float64']);
    expect(Array.from(r.b.data)).toEqual([3, 3]);
  });

  it('choice returns the values of an array argument, with its dtype', () => {
    const idx = evaluateDraws(3, ['i = choice(3, 6)']).i;
    const v = evaluateDraws(3, ['v = choice([10, 20, 30], 6)']).v;
    expect(Array.from(v.data)).toEqual(Array.from(idx.data, (i) => [10, 20, 30][i]));
    expect(evaluateDraws(3, ['v = choice([0.5, 1.5], 2)']).v.dtype).toBe('float64');
    expect(evaluateDraws(3, ['v = choice(4)']).v).toEqual({ shape: [], data: expect.any(Float64Array), dtype: 'int64' });
  });

  it('float32 fixtures are written to .npy as <f4', () => {
    const { x } = evaluateDraws(0, ['x = randn(2, 3).astype(np.float32)']);
    const bytes = writeNpy(x);
    const headerLen = new DataView(bytes.buffer).getUint16(8, true);
    expect(new TextDecoder().decode(bytes.subarray(10, 10 + headerLen))).toContain("'descr': '<f4'");
    expect(bytes.length).toBe(10 + headerLen + 6 * 4);
    expect(new DataView(bytes.buffer).getFloat32(10 + headerLen + 4, true)).toBe(x.data[1]);
  });
});

describe('DrawError', () => {
  const ex = ['W1 = randn(3, 2)', 'b1 = zeros(3', 'W2 = randn(3)'];

  it('unclosed call: statement number, column, what was expected and what came', () => {
    const e = errorOf(0, ex);
    expect(e.index).toBe(1);
    expect(e.column).toBe(13);
    expect(e.statement).toBe('b1 = zeros(3');
    expect(headline(e)).toBe('statement 2 "b1 = zeros(3" column 13: expected ")" but the statement ended (the "(" at column 11 is never closed)');
    expect(e.message).not.toContain('\n');
    expect(e.pointer).toBe('b1 = zeros(3\n            ^');
    expect(e.name).toBe('DrawError');
  });

  const cases: [string, string[], RegExp | string, number?][] = [
    ['unknown function lists the known ones', ['x = randm(3)'], /^statement 1 "x = randm\(3\)" column 5: unknown function "randm"; known functions: rand, randn, random_sample, standard_normal, normal, uniform, randint, permutation, choice, zeros, ones, full, array, arange, linspace, eye$/, 5],
    ['unknown name lists the defined ones', ['W = randn(2)', 'y = W + V'], 'statement 2 "y = W + V" column 9: unknown name "V"; defined so far: W', 9],
    ['unknown name with nothing defined', ['y = V'], 'statement 1 "y = V" column 5: unknown name "V"; no names are defined yet'],
    ['function used as a name', ['y = randn + 1'], /unknown name "randn" \(randn is a function: call it, e\.g\. randn\(d0, d1, \.\.\.\)\)/],
    ['duplicate name', ['a = rand(2)', 'b = 1', 'a = rand(3)'], 'statement 3 "a = rand(3)" column 1: duplicate name "a" (already assigned in statement 1); each fixture name must be assigned once', 1],
    ['too many arguments', ['p = permutation(3, 4)'], 'statement 1 "p = permutation(3, 4)" column 20: permutation takes at most 1 argument, got 2; call it as permutation(n)', 20],
    ['missing argument', ['r = randint(size=3)'], /randint is missing required argument "low"; call it as randint\(low, high=None, size=None\)/, 5],
    ['unexpected keyword', ['r = normal(0, 1, sizes=3)'], /normal got an unexpected keyword argument "sizes" \(accepted: loc, scale, size\)/, 18],
    ['keywords on rand', ['r = rand(size=3)'], /rand takes no keyword arguments; call it as rand\(d0, d1, \.\.\.\)/],
    ['argument given twice', ['r = normal(0, loc=1)'], /normal got multiple values for argument "loc"/],
    ['keyword repeated', ['r = normal(loc=0, loc=1)'], /keyword argument loc= repeated/],
    ['positional after keyword', ['r = normal(loc=0, 1)'], /positional argument follows keyword argument/, 19],
    ['randint low >= high', ['r = randint(5, 3)'], 'statement 1 "r = randint(5, 3)" column 5: randint: low >= high (low=5, high=3); the range [low, high) is empty', 5],
    ['randint high <= 0', ['r = randint(0, size=3)'], /randint: high <= 0/],
    ['randint float bound', ['r = randint(0, 2.5)'], /randint high must be an integer, got 2\.5/, 16],
    ['negative dimension', ['z = zeros((2, -1))'], /negative dimensions are not allowed \(shape \(2,-1\)\)/],
    ['float size', ['x = rand(2.5)'], /dimension|size must be an integer, got 2\.5/],
    ['normal scale < 0', ['x = normal(0, -1, 3)'], /normal: scale < 0/, 15],
    ['broadcast mismatch', ['a = randn(3) + randn(4)'], /column 14: operands could not be broadcast together with shapes \(3,\) \(4,\)/, 14],
    ['ragged list', ['y = [[1, 2], [3]]'], /ragged list: item 2 has shape \[1\] but item 1 has shape \[2\]/],
    ['bad character', ['x = 3 $ 4'], 'statement 1 "x = 3 $ 4" column 7: unexpected character "$"', 7],
    ['missing =', ['x randn(3)'], 'statement 1 "x randn(3)" column 3: expected "=" but found "randn"', 3],
    ['no target', ['= randn(3)'], /column 1: expected a name to assign to \(like "W1 = randn\(3, 2\)"\) but found "="/],
    ['trailing tokens', ['x = 3 4'], 'statement 1 "x = 3 4" column 7: expected an operator or the end of the statement but found "4"'],
    ['empty right side', ['x = '], 'statement 1 "x = " column 5: expected a number, a name, "(" or "[" but the statement ended'],
    ['unclosed list', ['y = [0, 1'], /expected "\]" but the statement ended \(the "\[" at column 5 is never closed\)/],
    ['missing comma', ['y = zeros((2 3))'], /column 14: expected "," or "\)" but found "3"/],
    ['assigning to a function name', ['rand = 3'], /cannot assign to "rand": it is a built-in function name/],
    ['tuple in the wrong place', ['x = full(3, (1, 2))'], /full fill_value must be a number, got a tuple of 2/],
    ['arange arity', ['x = arange()'], /arange takes 1 to 3 arguments/],
    ['arange zero step', ['x = arange(0, 5, 0)'], /arange: step must not be zero/],
    // tuple assignment
    ['unpack count mismatch', ['a, b = 1, 2, 3'], 'statement 1 "a, b = 1, 2, 3" column 8: cannot unpack 3 values into 2 names', 8],
    ['unpack array rows mismatch', ['a, b, c = randn(2, 3)'], /column 11: cannot unpack 2 values into 3 names$/],
    ['unpack one value', ['a, b = [7]'], /cannot unpack 1 value into 2 names$/],
    ['unpack a Python number', ['a, b = 5'], /cannot unpack a single number \(5\) into 2 names/],
    ['unpack a 0-d array', ['x = 5', 'a, b = x'], /statement 2 .* cannot unpack a 0-d array \(a single value\) into 2 names/],
    ['unpack None', ['a, b = None'], /cannot unpack None into 2 names/],
    ['a name twice in one statement', ['a, a = 1, 2'], /duplicate name "a" \(assigned twice in this statement\)/, 4],
    ['an unpacked name assigned again', ['a, b = 1, 2', 'c, b = 3, 4'], /statement 2 .* column 4: duplicate name "b" \(already assigned in statement 1\)/, 4],
    ['a second target that is not a name', ['a, 3 = 1, 2'], /expected another name to assign to after "," but found "3"/],
    // postfix
    ['reshape size mismatch', ['x = randn(6).reshape(4, 2)'], /column 14: cannot reshape an array of size 6 into shape \(4,2\)/, 14],
    ['reshape -1 that does not fit', ['x = arange(6).reshape(4, -1)'], /cannot reshape an array of size 6 into shape \(4,-1\)/],
    ['reshape -1 next to a 0', ['x = arange(6).reshape(0, -1)'], /cannot reshape an array of size 6 into shape \(0,-1\)/],
    ['reshape two -1', ['x = arange(6).reshape(-1, -1)'], /only one dimension can be -1/],
    ['reshape other negatives', ['x = arange(6).reshape(-2, 3)'], /negative dimension -2 is not allowed \(only -1/],
    ['reshape without a shape', ['x = arange(6).reshape()'], /\.reshape needs the new shape, e\.g\. x\.reshape\(2, 3\)/],
    ['reshape float dimension', ['x = arange(6).reshape(2.5)'], /each dimension of \.reshape must be an integer, got 2\.5/],
    ['unknown attribute', ['x = randn(3).shape'], /column 14: unknown array attribute "\.shape"; known: \.T, \.reshape\(d0, d1, \.\.\.\), \.astype\(dtype\), \.copy\(\), \.flatten\(\)/, 14],
    ['method not called', ['x = randn(3).reshape'], /\.reshape is a method: call it, e\.g\. x\.reshape\(2, 3\)/],
    ['attribute called', ['x = randn(3).T()'], /\.T is an attribute, not a method/],
    ['attribute of a Python number', ['x = (2).T'], /2 is a plain Python int, which has no \.T \(only arrays do\); wrap it in array\(\.\.\.\) first/],
    ['randn() is a Python float', ['x = randn().astype(np.float32)'], /is a plain Python float, which has no \.astype/, 13],
    ['attribute of a tuple', ['x = (1, 2).T'], /a tuple of 2 has no \.T/],
    ['dot at the end', ['x = randn(3).'], /expected an attribute name after "\."/],
    // dtypes
    ['unsupported dtype', ['x = randn(3).astype(np.int32)'], "statement 1 \"x = randn(3).astype(np.int32)\" column 21: unsupported dtype np.int32; accepted dtypes: np.float32, np.float64, np.int64, float, int (or the strings 'float32', 'float64', 'int64')", 21],
    ['unsupported dtype string', ["x = zeros(2, dtype='f4')"], /unsupported dtype 'f4'; accepted dtypes: np\.float32/],
    ['dtype without np.', ['x = zeros(3, dtype=float32)'], /unknown name "float32" \(the dtype is written np\.float32\)/],
    ['astype without a dtype', ['x = randn(3).astype()'], /\.astype takes exactly one argument, the dtype \(got 0\)/],
    ['astype of a number', ['x = randn(3).astype(3)'], /dtype must be one of np\.float32, .*; got 3/],
    ['NaN to int', ['x = (zeros(2) / 0).astype(int)'], /cannot convert nan to int64/],
    ['a dtype used as a value', ['x = np.float32 + 1'], /np\.float32 is a dtype, not a value; pass it as dtype=np\.float32 or to \.astype\(np\.float32\)/],
    ['True used as a value', ['x = True'], /True can only be passed to arguments such as replace= or endpoint=/],
    ['a string used as a value', ['x = "a" * 2'], /a string \('a'\) can only be used as a dtype/],
    ['unclosed string', ["x = randn(2).astype('float32)"], /column 21: the string starting here is never closed/, 21],
    ['unknown np. name', ['x = np.foo'], /"np\.foo" is not a known name/],
    ['np. function not called', ['x = np.zeros'], /np\.zeros is a function: call it/],
    ['assigning to a dtype name', ['float = 3'], /cannot assign to "float": it names a dtype/],
    ['dtype keyword where none is accepted', ['x = zeros(3, order=1)'], /zeros got an unexpected keyword argument "order" \(accepted: dtype\)/],
    ['dtype twice', ['x = zeros(3, np.float32, dtype=float)'], /zeros got multiple values for argument "dtype"/],
    ['negative power of an int array', ['x = [2, 3] ** -1'], /integers to negative integer powers are not allowed/, 12],
    ['Python division by zero', ['x = 1 / 0'], /division by zero/],
    // linspace
    ['linspace negative num', ['x = linspace(0, 1, -1)'], /linspace: the number of samples, -1, must be non-negative/, 20],
    ['linspace float num', ['x = linspace(0, 1, 2.5)'], /linspace num must be an integer, got 2\.5/],
    ['linspace array start', ['x = linspace(randn(2), 1)'], /linspace start must be a number, got an array of shape \(2,\)/],
    // choice
    ['choice p does not sum to 1', ['x = choice(3, p=[0.5, 0.2, 0.2])'], 'statement 1 "x = choice(3, p=[0.5, 0.2, 0.2])" column 15: choice: the probabilities in p do not sum to 1 (they sum to 0.9)', 15],
    ['choice negative p', ['x = choice(2, p=[1.5, -0.5])'], /choice: the probabilities in p must not be negative/],
    ['choice p of the wrong size', ['x = choice(3, p=[0.5, 0.5])'], /choice: a and p must have the same size \(a has 3 entries, p has 2\)/],
    ['choice p not 1-d', ['x = choice(3, p=3)'], /choice: p must be a 1-d list of probabilities, got 3/],
    ['choice sample larger than the population', ['x = choice(3, 5, replace=False)'], /choice: cannot take a larger sample \(5\) than the population \(3\) when replace=False/, 15],
    ['choice too few non-zero p', ['x = choice(3, 2, replace=False, p=[0, 0, 1])'], /choice: p has fewer non-zero entries \(1\) than the sample size \(2\)/],
    ['choice a 2-d', ['x = choice(zeros((2, 2)))'], /choice: a must be an integer or a 1-d array, got an array of shape \(2,2\)/, 12],
    ['choice a float', ['x = choice(2.5)'], /choice: a must be an integer or a 1-d array, got 2\.5/],
    ['choice a = 0', ['x = choice(0)'], /choice: a must be greater than 0 unless no samples are taken/],
    ['choice a empty', ['x = choice([], 2)'], /choice: a cannot be empty unless no samples are taken/],
    ['choice replace not a bool', ['x = choice(3, replace=None)'], /choice replace must be True or False, got None/],
  ];
  for (const [name, statements, want, column] of cases) {
    it(name, () => {
      const e = errorOf(1, statements);
      if (typeof want === 'string') expect(headline(e)).toBe(want);
      else expect(headline(e)).toMatch(want);
      if (column !== undefined) expect(e.column).toBe(column);
    });
  }

  it('syntax errors are reported before anything is drawn', () => {
    const e = errorOf(0, ['a = randn(5)', 'b = randn(5', 'c = V']);
    expect(e.index).toBe(1);
  });
});

import { afterAll, describe, expect, it } from 'vitest';
import { DRAW_FUNCTIONS, DrawError, evaluateDraws } from '../grader/fixtures/draws.ts';
import { type Encoded, decodeFloats, decodeInts, loadJson, ulpDistance } from './data/numpy/vectors.ts';

interface DrawCase {
  seed: number;
  statements: string[];
  expect: Record<string, Encoded>;
}
const D = loadJson<{ numpy_version: string; cases: DrawCase[] }>('draws.json');
const MAX_ULP = 4;
let worstUlp = 0;

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
          expect(Array.from(a.data), name).toEqual(Array.from(decodeInts(want), Number));
        } else {
          const w = decodeFloats(want);
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

  afterAll(() => console.log(`[fixtures-draws] max ulp distance vs NumPy: ${worstUlp}`));
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
      expect.arrayContaining(['rand', 'randn', 'random_sample', 'standard_normal', 'normal', 'uniform', 'randint', 'permutation', 'zeros', 'ones', 'full', 'arange', 'eye']),
    );
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
    ['unknown function lists the known ones', ['x = randm(3)'], /^statement 1 "x = randm\(3\)" column 5: unknown function "randm"; known functions: rand, randn, random_sample, standard_normal, normal, uniform, randint, permutation, zeros, ones, full, arange, eye$/, 5],
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

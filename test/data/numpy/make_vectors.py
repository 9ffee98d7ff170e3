#!/usr/bin/python3
"""Generate the committed NumPy reference vectors for test/fixtures-*.test.ts.

Run with an interpreter that has NumPy 2 (never a runtime dependency; draws.json
needs NumPy 2's promotion rules, NEP 50, and was made with NumPy 2.4.6):

    python3 test/data/numpy/make_vectors.py [random] [draws] [npy]

Writes, next to this script (all three unless some are named):
  random.json   legacy RandomState draws (per distribution, mixed streams, hashes)
  draws.json    fixture-DSL statements evaluated by NumPy
  npy/*.npy     files written by np.save, plus npy/manifest.json describing them

Encoding: float64 and int64 arrays are base64 of their little-endian bytes
("b64"), so the comparison is bit-exact; small integer arrays are plain JSON
lists ("ints"). Very large draws are stored only as a SHA-256 of those bytes.
In draws.json a float32 array has dtype "float32" and its values widened
(exactly) to float64 bytes.

float32 `**` with a general exponent depends on the CPU NumPy runs on (on
AVX-512 machines NumPy uses SVML's powf, which is not correctly rounded): the
grader rounds the double pow instead, so those values may differ by 1 float32 ulp.
"""
import ast
import base64
import hashlib
import io
import json
import os
import random
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SEEDS = [0, 1, 42, 1000, 2**32 - 1]
BIG = 2**53  # beyond this an int is not a safe JS number: send it as a string


def jarg(v):
    """A call argument as JSON; ints outside the safe range become {"big": "..."}."""
    if isinstance(v, (list, tuple)):
        return [jarg(x) for x in v]
    if isinstance(v, int) and abs(v) > BIG:
        return {"big": str(v)}
    return v


def encode(a, f32=False):
    """Array -> {shape, dtype, b64|ints}; with f32, float32 arrays keep dtype "float32"."""
    a = np.asarray(a)
    out = {"shape": list(a.shape)}
    if a.dtype.kind == "f":
        out["dtype"] = "float32" if f32 and a.dtype == np.float32 else "float64"
        out["b64"] = base64.b64encode(a.astype("<f8").tobytes()).decode()
    elif a.dtype.kind in "iub":
        out["dtype"] = "int64"
        flat = a.astype(np.int64).ravel()
        if flat.size == 0 or int(np.abs(flat).max()) <= BIG:
            out["ints"] = [int(x) for x in flat]
        else:
            out["b64"] = base64.b64encode(flat.astype("<i8").tobytes()).decode()
    else:
        raise TypeError(a.dtype)
    return out


def digest(a):
    a = np.asarray(a)
    dt = "<f8" if a.dtype.kind == "f" else "<i8"
    return {"shape": list(a.shape), "dtype": "float64" if dt == "<f8" else "int64",
            "sha256": hashlib.sha256(a.astype(dt).tobytes()).hexdigest()}


def call(rs, fn, args, kwargs=None):
    return getattr(rs, fn)(*args, **(kwargs or {}))


def step(rs, fn, args, kwargs=None, hashed=False):
    res = call(rs, fn, args, kwargs)
    s = {"fn": fn, "args": jarg(list(args))}
    if kwargs:
        s["kwargs"] = {k: jarg(v) for k, v in kwargs.items()}
    s["expect"] = digest(res) if hashed else encode(res)
    return s


def final_state(rs):
    name, key, pos, has_gauss, gauss = rs.get_state()
    return {"pos": int(pos), "has_gauss": bool(has_gauss),
            "gauss_b64": base64.b64encode(np.float64(gauss).astype("<f8").tobytes()).decode()}


# One fresh RandomState(seed) per case; each case is a list of calls on that stream.
SINGLE = [
    ("rand", [1000, 3], None),
    ("random_sample", [[10, 50]], None),
    ("randn", [2000], None),
    ("standard_normal", [[25, 20]], None),
    ("normal", [2.5, 3.0, 1000], None),
    ("normal", [], {"loc": -1.0, "scale": 0.01, "size": 300}),
    ("uniform", [-3.0, 7.0, 1000], None),
    ("uniform", [5.0, 2.0, 200], None),  # high < low is allowed
    ("randint", [0, 2, 1000], None),
    ("randint", [-5, 10, 1000], None),
    ("randint", [7], {"size": 500}),  # high omitted: [0, 7)
    ("randint", [0, 1, 50], None),  # high - low == 1: no draws consumed
    ("randint", [-100, -99, 10], None),
    ("randint", [-1000, 1000, 500], None),
    ("randint", [0, 2**31, 300], None),
    ("randint", [0, 2**32 - 1, 300], None),
    ("randint", [0, 2**32, 300], None),  # rng == 0xFFFFFFFF: raw 32-bit
    ("randint", [-2**31, 2**31, 300], None),
    ("randint", [0, 2**32 + 1, 300], None),  # rng == 2**32: 64-bit path
    ("randint", [-2**40, 2**40, 300], None),
    ("randint", [0, 10**15, 300], None),
    ("randint", [-2**62, 2**62, 100], None),  # values beyond 2**53
    ("randint", [-2**63, 2**63, 100], None),  # full 64-bit range: raw 64-bit
    ("permutation", [1000], None),
    ("permutation", [2], None),
    ("permutation", [1], None),
    ("permutation", [0], None),
]

# A hand-written mixed stream: the cached gaussian must survive other draws.
MIXED = [
    ("randn", [3]), ("rand", [5]), ("randint", [0, 10, 4]), ("randn", [1]),
    ("randn", []), ("rand", []), ("normal", [1.0, 2.0, 3]), ("randint", [0, 2**33, 2]),
    ("uniform", [-1.0, 1.0, 3]), ("randn", [2, 2]), ("permutation", [7]),
    ("standard_normal", [5]), ("randint", [0, 1, 3]), ("randn", [1]), ("random_sample", [4]),
    ("randint", [5]), ("normal", [0.0, 1.0]), ("randn", [3]),
]


def random_mixed_calls(py, count):
    """A reproducible random programme of small calls (Python's own RNG picks them)."""
    calls = []
    for _ in range(count):
        k = py.choice(["rand", "randn", "randint", "randint64", "normal", "uniform", "permutation", "scalar_randn"])
        n = py.randint(0, 7)
        if k == "rand":
            calls.append(("rand", [n]))
        elif k == "randn":
            calls.append(("randn", [n]))
        elif k == "scalar_randn":
            calls.append(("randn", []))
        elif k == "randint":
            lo = py.randint(-50, 50)
            calls.append(("randint", [lo, lo + py.randint(1, 300), n]))
        elif k == "randint64":
            calls.append(("randint", [0, 2**32 + py.randint(1, 10**6), n]))
        elif k == "normal":
            calls.append(("normal", [py.uniform(-5, 5), py.uniform(0, 3), n]))
        elif k == "uniform":
            calls.append(("uniform", [py.uniform(-5, 0), py.uniform(0, 5), n]))
        else:
            calls.append(("permutation", [py.randint(0, 20)]))
    return calls


def make_random():
    out = {"numpy_version": np.__version__, "seeds": [], "cases": [], "hashes": []}
    for seed in SEEDS:
        rs = np.random.RandomState(seed)
        _, key, pos, _, _ = rs.get_state()
        out["seeds"].append({"seed": seed, "pos": int(pos), "key_head": [int(x) for x in key[:4]],
                             "key_sha256": hashlib.sha256(key.astype("<u4").tobytes()).hexdigest()})
        for fn, args, kwargs in SINGLE:
            rs = np.random.RandomState(seed)
            out["cases"].append({"seed": seed, "kind": "single", "steps": [step(rs, fn, args, kwargs)],
                                 "state": final_state(rs)})
        rs = np.random.RandomState(seed)
        steps = [step(rs, fn, args) for fn, args in MIXED]
        out["cases"].append({"seed": seed, "kind": "mixed", "steps": steps, "state": final_state(rs)})
        rs = np.random.RandomState(seed)
        py = random.Random(seed)
        steps = [step(rs, fn, args) for fn, args in random_mixed_calls(py, 120)]
        out["cases"].append({"seed": seed, "kind": "mixed-random", "steps": steps, "state": final_state(rs)})
    # Long streams, compared by hash (crosses many MT twists).
    for seed in (0, 42):
        for fn, args in [("rand", [200000]), ("randint", [-3, 4, 200000]), ("permutation", [100000]),
                         ("randint", [0, 2**35, 20000])]:
            rs = np.random.RandomState(seed)
            out["hashes"].append({"seed": seed, "steps": [step(rs, fn, args, hashed=True)]})
    out["log_correctly_rounded"] = make_log_vectors()
    return out


def make_log_vectors():
    """Inputs and correctly rounded natural logs (60-digit Decimal, then rounded once)."""
    from decimal import Decimal, getcontext
    getcontext().prec = 60
    py = random.Random(2024)
    xs = []
    for i in range(2000):
        kind = i % 4
        if kind == 0:
            x = py.random()  # like r2 in the polar method
        elif kind == 1:
            x = 1 - py.random() * 2.0 ** -py.randint(1, 52)  # just below 1
        elif kind == 2:
            x = py.random() * 2.0 ** -py.randint(1, 1074)  # tiny, incl. subnormals
        else:
            x = py.random() * 2.0 ** py.randint(0, 1000)
        if x > 0:
            xs.append(x)
    logs = [float(Decimal(x).ln()) for x in xs]
    return {"x": encode(np.array(xs)), "log": encode(np.array(logs))}


# ---------------------------------------------------------------- draws DSL

DRAWS = [
    (0, ["W1 = randn(3, 2)", "b1 = zeros(3)", "W2 = randn(3)", "b2 = 0",
         "X = rand(1000, 2)", "Y = randint(0, 2, 1000)"]),
    (1, ["X = 10 * randn(5, 4)", "y = [0, 1, 2, 2, 1]"]),
    (1, ["w = randn(10)", "X = randn(20, 10)", "y = randint(0, 2, 20)"]),
    (1, ["W1 = 0.1 * randn(4, 10)", "b1 = zeros(10)"]),
    (42, ["a = randn(2) + rand(2)", "b = rand(2) - 2 * randn(2) / 3", "c = -a * (b + 1)",
          "d = (a - b) / (1 + 2)", "e = 2 - 3 - 4", "f = 7 / 2", "g = 2 * 3 + 4 * 5", "h = -2 * -3",
          "i = 1e-3 * randn(3)", "j = 0.5 + randint(0, 10, 3)"]),
    (7, ["A = randn(3, 4)", "m = [1, 2, 3, 4]", "B = A * m", "C = A + [[10], [20], [30]]",
         "D = [[1, 2], [3, 4]]", "E = D * D - D", "F = [1.5, 2, 3]", "G = [[1], [2]] + [10, 20, 30]"]),
    (3, ["a = normal(5, 2, (2, 3))", "b = normal(loc=1.0, scale=0.5, size=4)", "c = uniform(-1, 1, [2, 2])",
         "d = uniform(low=2, high=3, size=3)", "e = randint(low=-5, high=5, size=(2, 5))",
         "f = random_sample((3, 1))", "g = standard_normal(size=5)", "h = permutation(10)",
         "i = randint(10, size=6)", "j = randn()", "k = rand()", "l = normal()", "m = randint(4)"]),
    (5, ["a = ones((2, 3))", "b = ones(4)", "c = full((2, 2), 7)", "d = full(3, 0.5)", "e = arange(5)",
         "f = arange(2, 10, 3)", "g = arange(0, 1, 0.1)", "h = eye(3)", "i = arange(1.5, 4)",
         "j = arange(10, 0, -3)", "k = zeros((2, 0))", "l = full([2], -1) * randn(2)"]),
    (2**32 - 1, ["noise = 0.01 * randn(100)", "idx = permutation(50)", "big = randint(-2**40, 2**40, 5)"]),
    (11, ["a = normal([1, 2, 3], 0.5)", "b = uniform([0, 10], [1, 20], (3, 2))", "c = normal(zeros((2, 1)), [1, 2, 3])",
          "d = -[1, 2]", "e = randint(0, 5, 3) * randn(3) - rand(3)", "f = 2 ** 10 - 3 ** 2", "g = 2 ** -2 * randn(2)",
          "h = normal(loc=[0, 100], scale=[[1], [2]])"]),
    # Tuple assignment: a bare tuple, a parenthesized one, a list, and an array's rows.
    (13, ["N, D = 4, 5", "a, b = (randn(2), randn(3))", "r0, r1 = randn(2, 3)", "s, t = [rand(2), randint(0, 5, 4)]",
          "u, = rand(1)", "p, q = 2.5, [1, 2]", "m, n = randn(2)", "X = randn(N, D)", "c = N * D + m",
          "k0, k1, k2 = arange(12).reshape(3, 2, 2)", "w = randn(2)"]),
    # Postfix .T / .reshape / .copy / .flatten, binding tighter than ** and unary minus.
    (17, ["A = randn(3, 4)", "B = A.T", "C = randn(2, 3, 4).T", "D = (A + 1).reshape(2, 6)", "E = A.reshape(-1)",
          "F = A.reshape((4, -1))", "G = randn(3, 4).T.reshape(2, -1)", "H = -A.T ** 2", "I = [1, 2, 3, 4, 5, 6].reshape(3, 2).T",
          "J = A.flatten()", "K = A.copy() * 2", "L = arange(24).reshape(2, 3, 4).T", "M = randn(5).T",
          "O = A.reshape([2, 2, 3])", "P = np.random.randn(2, 3).T.copy()", "Q = zeros((0, 3)).reshape(-1)",
          "R = arange(6).reshape(1, -1, 1).T", "S = full((1,), 7.5).reshape(())", "U = 2 ** A.T - A.T.T.T",
          "V = numpy.random.rand(2, 3).reshape(3, 2)"]),
    # float32: exact + - * / in float32, weak Python numbers, promotion to float64.
    (19, ["x = randn(5).astype(np.float32)", "y = randn(5).astype(np.float32)", "a = x + y", "b = x * y - x / y",
          "c = x * 2.5", "d = x * 0.1 + 1", "e = (x + y) * (x - y) / 3 + 0.7",
          "acc = x * 0.1 + x * 0.2 + x * 0.3 - y / 7 + 1e-3 * y * y", "f = x + randn(5)", "g = x * [1, 2, 3, 4, 5]",
          "h = x ** 2", "h2 = (x + 1) ** 2 - 2 * x", "neg = -x", "z = randint(0, 5, 5) * x", "wf = x * randn()",
          "wi = x * randint(1, 5)", "wn = x + normal()", "s0 = 2.5", "sx = x * s0", "s1 = 3", "sy = x * s1",
          "xf = x.astype(float) * 0.1", "xd = x.astype(np.float64)", "xi = (10 * x).astype(int)",
          "ti = (10 * randn(6)).astype(np.int64)", "q = randint(0, 10, 5).astype(np.float32) / 3",
          "st = randn(3).astype('float32')", "lst = [x, y]", "lst2 = [x, randn(5)]", "div = y / x",
          "cast2 = (x * 1e30).astype(np.float32) * 1e10", "tiny = x * 1e-40"]),
    (19, ["r = rand(6).astype(np.float32)", "i = r ** 0.5", "j = r ** -1", "k = r ** 3", "l = r ** 1.5",
          "m = r ** r", "n = r ** 2.0", "o = 2 ** r", "p = randint(1, 5, 4) ** 2", "q = randint(1, 5, 4) ** 0.5",
          "s = 2 ** -1 * r", "t = rand(3) ** 2", "u = rand(3) ** 0.5", "v = rand(3) ** -1"]),
    # dtype= on constructors, and array().
    (21, ["s = zeros(3, dtype=np.float32) + 1", "t = ones((2, 5), dtype=np.float32) * randn(5).astype(np.float32)",
          "o = ones(3, dtype=int)", "z = zeros((2, 2), np.float32)", "u = full((2, 2), 0.1, dtype=np.float32)",
          "v = full(3, 2.7, dtype=int)", "v2 = full(3, -2.7, int)", "w = arange(0, 1, 0.1, dtype=np.float32)",
          "w2 = arange(5, dtype=float)", "w3 = arange(0.3, 7.1, 0.37, dtype=np.float32)", "w4 = arange(0, 5, 0.5, dtype=int)",
          "w5 = arange(10, dtype=np.float32) / 3", "w6 = arange(1, 2, 0.3, np.float32)", "e = eye(3, dtype=np.float32)",
          "e2 = eye(2, 3, dtype=int)", "ar = array([1.5, 2.5, 3.1], dtype=np.float32)", "ar2 = array([1, 2])",
          "ar3 = array(randn(3), dtype=float)", "ar4 = array(3.7, dtype=int)", "ar5 = array((1, 2.5))",
          "ar6 = array(-3.9, np.int64)", "f = full(2, array(1.1, dtype=np.float32))", "nn = normal(array([1, 2], dtype=np.float32), 0.5)"]),
    # linspace: endpoint, num=1, num=0, dtype, float32 start, a step that underflows to 0.
    (23, ["a = linspace(0, 1)", "b = linspace(0, 1, 5)", "c = linspace(-3.5, 7.25, 11, endpoint=False)",
          "d = linspace(2, 3, num=1)", "e = linspace(2, 3, 1, endpoint=False)", "f = linspace(5, 5, 4)", "g = linspace(1, 0, 0)",
          "h = linspace(0, 10, 7, dtype=int)", "h2 = linspace(-1, 1, 6, dtype=int)", "i = linspace(0, 1, 6, dtype=np.float32)",
          "j = linspace(0.1, 1.7, 7) * randn(7)", "k = linspace(0, 5e-324, 3)", "l = linspace(-1, 1, 4).astype(np.float32)",
          "s32 = array(0.1, dtype=np.float32)", "n = linspace(s32, 1.7, 7)", "o = linspace(1.7, s32, 9, endpoint=False)",
          "p = linspace(0, 1, 50, True)", "q = linspace(10, -2.5, 13)", "r = linspace(1e10, 1e10 + 1, 3)", "t = linspace(0, 1, 3, False)"]),
    # choice: each mode of legacy RandomState.choice, then more draws on the same stream.
    (29, ["a = choice(5)", "b = choice(5, 10)", "c = choice(10, (2, 3))", "d = choice([10, 20, 30], 6)",
          "e = choice(5, 3, replace=False)", "f = choice(8, size=8, replace=False)", "g = choice(4, 10, p=[0.1, 0.2, 0.3, 0.4])",
          "h = choice([1.5, 2.5, 3.5], size=(2, 2), p=[0.5, 0.25, 0.25])",
          "i = choice(6, 4, replace=False, p=[0.05, 0.05, 0.3, 0.3, 0.2, 0.1])", "j = choice(5, replace=False)",
          "k = choice(3, p=[0.2, 0.3, 0.5])", "l = choice(arange(10) * 2, 5)", "m = choice(5, 0)",
          "n = choice(4, 4, replace=False, p=[0.25, 0.25, 0.25, 0.25])", "o = choice(3, 5, p=[0, 1, 0])", "q = choice([10, 20, 30])",
          "r = choice(5) + rand(2)", "s = choice(randn(4).astype(np.float32), 3)",
          "t = choice(20, 15, replace=False, p=linspace(1, 20, 20) / 210)", "u = choice(3, 4, p=array([0.2, 0.3, 0.5], dtype=np.float32))",
          "v = choice(7, (2, 2), False)", "x = choice(2 ** 40, 3)", "y = choice(50, (3, 3), replace=False, p=None)",
          "z = choice(5, 2, True, [0.3, 0, 0.2, 0.5, 0])", "w = randn(3)"]),
]


class _WrapListOperands(ast.NodeTransformer):
    """In the DSL a list literal is an array, so `[1, 2] * 2` multiplies: wrap list
    operands of arithmetic in np.array(...) (Python would repeat/concatenate lists)."""

    def _wrap(self, node):
        if isinstance(node, ast.List):  # a list literal is an array in the DSL
            return ast.Call(func=ast.Attribute(value=ast.Name("np", ast.Load()), attr="array", ctx=ast.Load()),
                            args=[node], keywords=[])
        return node

    def visit_BinOp(self, node):
        self.generic_visit(node)
        node.left, node.right = self._wrap(node.left), self._wrap(node.right)
        return node

    def visit_UnaryOp(self, node):
        self.generic_visit(node)
        node.operand = self._wrap(node.operand)
        return node

    def visit_Attribute(self, node):  # [1, 2, 3, 4].reshape(2, 2)
        self.generic_visit(node)
        node.value = self._wrap(node.value)
        return node


def as_numpy_arithmetic(expr):
    tree = ast.fix_missing_locations(_WrapListOperands().visit(ast.parse(expr, mode="eval")))
    return tree


def make_draws():
    if int(np.__version__.split(".")[0]) < 2:
        sys.exit(f"draws.json needs NumPy 2 (NEP 50 promotion); this interpreter has NumPy {np.__version__}")
    from numpy import random as R
    ns_base = {n: getattr(R, n) for n in ["rand", "randn", "random_sample", "standard_normal", "normal",
                                           "uniform", "randint", "permutation", "choice"]}
    ns_base.update({n: getattr(np, n) for n in ["zeros", "ones", "full", "arange", "eye", "linspace", "array"]})
    cases = []
    for seed, statements in DRAWS:
        np.random.seed(seed)
        ns = dict(ns_base)
        expect = {}
        for st in statements:
            lhs, expr = st.split("=", 1)
            names = [n.strip() for n in lhs.split(",")]
            unpack = len(names) > 1  # `a, b = ...` and `a, = ...`
            names = [n for n in names if n]
            with np.errstate(all="ignore"):  # overflow to inf is part of some cases
                val = eval(compile(as_numpy_arithmetic(expr.strip()), st, "eval"), {"np": np, "numpy": np}, ns)
            vals = list(val) if unpack else [val]
            assert len(vals) == len(names), st
            for name, v in zip(names, vals):
                ns[name] = np.asarray(v)
                expect[name] = encode(ns[name], f32=True)
        cases.append({"seed": seed, "statements": statements, "expect": expect})
    return cases


# ---------------------------------------------------------------- .npy files

NPY_VALUES = {
    "f8": [[1.5, -2.25, 3e300], [-0.0, 1e-310, 7.0]],
    "f4": [[1.5, -2.25, 3.0e38], [-0.0, 1e-40, 0.1]],
    "f2": [[1.5, -2.25, 65504.0], [-0.0, 6e-8, 0.1]],
    "i8": [[1, -2, 2**53], [-(2**53), 0, 42]],
    "i4": [[1, -2, 2**31 - 1], [-(2**31), 0, 42]],
    "i2": [[1, -2, 32767], [-32768, 0, 42]],
    "i1": [[1, -2, 127], [-128, 0, 42]],
    "u8": [[1, 2, 2**53], [0, 7, 42]],
    "u4": [[1, 2, 2**32 - 1], [0, 7, 42]],
    "u2": [[1, 2, 65535], [0, 7, 42]],
    "u1": [[1, 2, 255], [0, 7, 42]],
    "b1": [[True, False, True], [False, False, True]],
}


def npy_bytes(a, version=None):
    b = io.BytesIO()
    if version is None:
        np.save(b, a)
    else:
        np.lib.format.write_array(b, a, version=version)
    return b.getvalue()


def make_npy():
    d = os.path.join(HERE, "npy")
    os.makedirs(d, exist_ok=True)
    manifest = {"numpy_version": np.__version__, "files": []}

    def add(fname, raw, value=None, error=None, note=""):
        with open(os.path.join(d, fname), "wb") as f:
            f.write(raw)
        entry = {"file": fname, "note": note}
        if value is not None:
            entry["expect"] = encode(value)
        if error is not None:
            entry["error"] = error
        manifest["files"].append(entry)

    for code, vals in NPY_VALUES.items():
        for order in "<>":
            if code in ("i1", "u1", "b1") and order == ">":
                continue
            bo = "|" if code in ("i1", "u1", "b1") else order
            a = np.array(vals, dtype=bo + code)
            add(f"{code}{'_be' if order == '>' else ''}.npy", npy_bytes(a), a, note=f"dtype {a.dtype.str}")
    f = np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4) * 1.5)
    add("fortran_f8.npy", npy_bytes(f), np.ascontiguousarray(f), note="fortran_order True, 3-d")
    fi = np.asfortranarray(np.arange(6, dtype="<i4").reshape(2, 3))
    add("fortran_i4.npy", npy_bytes(fi), np.ascontiguousarray(fi), note="fortran_order True, 2-d int")
    a = np.arange(6, dtype="<f8").reshape(3, 2) - 2.5
    add("v2.npy", npy_bytes(a, (2, 0)), a, note="format version 2.0")
    add("v3.npy", npy_bytes(a, (3, 0)), a, note="format version 3.0")
    add("scalar_f8.npy", npy_bytes(np.float64(3.25)), np.float64(3.25), note="shape ()")
    add("scalar_i8.npy", npy_bytes(np.int64(-7)), np.int64(-7), note="shape ()")
    add("empty.npy", npy_bytes(np.zeros((0, 3))), np.zeros((0, 3)), note="zero-size")
    add("randn_seed0.npy", npy_bytes(np.random.RandomState(0).randn(3, 2)),
        np.random.RandomState(0).randn(3, 2), note="np.save of randn(3, 2) at seed 0 (writeNpy must match bytes)")
    add("arange_i8.npy", npy_bytes(np.arange(5)), np.arange(5), note="np.save of arange(5) (writeNpy must match bytes)")
    # Error cases.
    add("complex.npy", npy_bytes(np.array([1 + 2j, 3])), error="unsupported dtype '<c16'")
    add("object.npy", npy_bytes(np.array([{"a": 1}, None], dtype=object)), error="object")
    add("strings.npy", npy_bytes(np.array(["ab", "c"])), error="unsupported dtype '<U2'")
    add("structured.npy", npy_bytes(np.zeros(2, dtype=[("x", "<f8"), ("y", "<i4")])), error="structured")
    add("huge_i8.npy", npy_bytes(np.array([1, 2**60], dtype="<i8")), error="2**53")
    full = npy_bytes(np.arange(10, dtype="<f8"))
    add("truncated.npy", full[:-12], error="expected 80 bytes of data for shape [10], got 68")
    buf = io.BytesIO()
    np.savez(buf, a=np.arange(3))
    add("archive.npz", buf.getvalue(), error="not a .npy file")
    with open(os.path.join(d, "manifest.json"), "w") as fh:
        json.dump(manifest, fh, indent=1)


def main(which):
    unknown = set(which) - {"random", "draws", "npy"}
    if unknown:
        sys.exit(f"unknown output(s) {', '.join(sorted(unknown))}; choose from random, draws, npy")
    which = which or ["random", "draws", "npy"]
    if "random" in which:
        with open(os.path.join(HERE, "random.json"), "w") as fh:
            json.dump(make_random(), fh, separators=(",", ":"))
    if "draws" in which:
        with open(os.path.join(HERE, "draws.json"), "w") as fh:
            json.dump({"numpy_version": np.__version__, "cases": make_draws()}, fh, indent=1)
    if "npy" in which:
        make_npy()


if __name__ == "__main__":
    main(sys.argv[1:])

"""The Python+NumPy peer of `nngrade check assignments/fashion-mnist-hw4 <correct>`:
the same parts (forward, backprop, gradient check, the hidden seed), the same seeded
fixtures, the same tolerances, the reference and the student imported in one process
(no sandbox: the cheapest a Python grader can be)."""
import sys, os, importlib.util
import numpy as np

here = os.path.dirname(os.path.abspath(__file__))

def load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod

student = load(sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, "hw4_submission.py"), "student")
reference = load(os.path.join(here, "hw4_submission.py"), "reference")

def fixture(seed, b1_scale, b2, n):
    np.random.seed(seed)
    W1 = np.random.randn(3, 2)
    b1 = np.zeros(3) if b1_scale == 0 else b1_scale * np.random.randn(3)
    W2 = np.random.randn(3)
    X = np.random.rand(n, 2)
    Y = np.random.randint(0, 2, n)
    return X, Y, {"W1": W1, "b1": b1, "W2": W2, "b2": b2}

score = 0.0
def compare(exp, got, rtol, atol, shape_exact=True):
    exp, got = np.asarray(exp, float), np.asarray(got, float)
    if shape_exact and exp.shape != got.shape:
        return False
    return np.allclose(got.reshape(exp.shape), exp, rtol=rtol, atol=atol)

X, Y, w = fixture(0, 0, 0.0, 1000)
ref_f, got_f = reference.forward_propagation(X, w), student.forward_propagation(X, w)
score += 3 * np.mean([compare(ref_f[k], got_f[k], 1e-9, 1e-12) for k in ref_f])

ref_b, got_b = reference.back_propagation(X, Y, w), student.back_propagation(X, Y, w)
checks = [compare(ref_b["L"], got_b["L"], 0, 1e-12)]
checks += [compare(ref_b["gradients"][k], got_b["gradients"][k], 1e-7, 1e-12, k != "b2") for k in ("W1", "b1", "W2", "b2")]
score += 5 * np.mean(checks)

h, ok = 1e-5, []
grads = got_b["gradients"]
for k in ("W1", "b1", "W2", "b2"):
    p = np.array(w[k], dtype=float)
    num = np.zeros(p.size)
    for i in range(p.size):
        for s in (1, -1):
            q = p.copy().reshape(-1); q[i] += s * h
            w2 = dict(w); w2[k] = q.reshape(p.shape) if p.ndim else float(q[0])
            num[i] += s * student.back_propagation(X, Y, w2)["L"]
    num /= 2 * h
    a = np.asarray(grads[k], float).reshape(-1)
    ok.append(np.max(np.abs(a - num) / np.maximum(1e-8, np.abs(a) + np.abs(num))) <= 1e-6)
ok.append(compare(ref_b["L"], got_b["L"], 1e-6, 1e-9))
score += 2 * np.mean(ok)

X, Y, w = fixture(2022, 0.1, -0.5, 64)
ref_b, got_b = reference.back_propagation(X, Y, w), student.back_propagation(X, Y, w)
checks = [compare(ref_b["L"], got_b["L"], 1e-7, 1e-12)]
checks += [compare(ref_b["gradients"][k], got_b["gradients"][k], 1e-7, 1e-12, k != "b2") for k in ("W1", "b1", "W2", "b2")]
score += 2 * np.mean(checks)
print(f"score {score:g} / 12")

#!/usr/bin/python3
"""Recompute the quiz's test values with NumPy (run with /usr/bin/python3).

Prints L on the seed-1000 loss test (the quiz asserts 1.08007365415 within
1e-9), dL on the seed-1000 gradient test (the quiz asserts
[-0.12669153, -0.00341384, 0.02274541] within 1e-6), the edge cases, and the
loss after 50 line-search steps on data/gd_*.npy. With --json it prints the
inputs and values for compare_reference.mjs.
"""
import json
import os
import sys

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))


def L(w, X, y):
    z = X @ w
    return np.mean(y * np.logaddexp(0, -z) + (1 - y) * np.logaddexp(0, z))


def dL(w, X, y):
    z = X @ w
    return X.T @ (0.5 * (1 + np.tanh(z / 2)) - y) / len(y)


def gradient_descent(w0, X, y, num_steps, alpha, beta):
    w, ws = w0.copy(), []
    for _ in range(num_steps):
        g = dL(w, X, y)
        t = 1.0
        while L(w, X, y) - L(w - t * g, X, y) < alpha * t * (g @ g):
            t *= beta
        w = w - t * g
        ws.append(w)
    return w, ws


def main():
    np.random.seed(1000)
    w10, X20, y20 = np.random.randn(10), np.random.randn(20, 10), np.random.randint(0, 2, 20)
    np.random.seed(1000)
    w3, X200, y200 = np.random.randn(3), np.random.randn(200, 3), np.random.randint(0, 2, 200)
    v, x = np.array([1000.0]), np.array([[1000.0]])
    X = np.load(os.path.join(here, "..", "data", "gd_X.npy"))
    y = np.load(os.path.join(here, "..", "data", "gd_y.npy"))
    w, ws = gradient_descent(np.zeros(5), X, y, 50, 0.01, 0.5)
    out = {
        "L3": L(w10, X20, y20),
        "dL3": dL(w3, X200, y200).tolist(),
        "edge": [L(v, x, np.array([0])), L(v, x, np.array([1])), L(-v, x, np.array([1]))],
        "edgeGrad": [dL(v, x, np.array([0])).tolist(), dL(v, x, np.array([1])).tolist()],
        "gdLosses": [L(wk, X, y) for wk in ws],
        "inputs": {"w10": w10.tolist(), "X20": X20.tolist(), "y20": y20.tolist(), "w3": w3.tolist(), "X200": X200.tolist(), "y200": y200.tolist(), "X": X.tolist(), "y": y.tolist()},
    }
    if "--json" in sys.argv:
        print(json.dumps(out))
        return
    print("L (seed 1000) = %.12f, |L - 1.08007365415| = %.3g" % (out["L3"], abs(out["L3"] - 1.08007365415)))
    print("dL (seed 1000) =", out["dL3"], "distance to the quiz's values = %.3g" % np.linalg.norm(np.array(out["dL3"]) - [-0.12669153, -0.00341384, 0.02274541]))
    print("edge cases L:", out["edge"], " dL:", out["edgeGrad"])
    print("gradient descent: L after step 1 = %.10f, after step 50 = %.10f" % (out["gdLosses"][0], out["gdLosses"][-1]))


if __name__ == "__main__":
    main()

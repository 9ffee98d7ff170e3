#!/usr/bin/python3
"""Recompute the toy-model values of the two-layer net with NumPy.

Run with a Python that has NumPy (e.g. /usr/bin/python3):
    /usr/bin/python3 assignments/two-layer-net-cifar10/tools/check_numpy.py
It prints the scores and the loss at reg=0.05 for the toy model and data the
spec draws (model: seed 0; data: seed 1), next to CS231n's published values,
and, with --json, the same numbers as JSON so they can be compared with what
the TypeScript reference returns (see compare_reference.mjs).
"""
import json
import sys

import numpy as np

PUBLISHED_SCORES = np.array([
    [-0.81233741, -1.27654624, -0.70335995],
    [-0.17129677, -1.18803311, -0.47310444],
    [-0.51590475, -1.01354314, -0.8504215],
    [-0.15419291, -0.48629638, -0.52901952],
    [-0.00618733, -0.12435261, -0.15226949],
])
PUBLISHED_LOSS = 1.30378789133


def toy():
    np.random.seed(0)
    W1 = 0.1 * np.random.randn(4, 10)
    b1 = np.zeros(10)
    W2 = 0.1 * np.random.randn(10, 3)
    b2 = np.zeros(3)
    np.random.seed(1)
    X = 10 * np.random.randn(5, 4)
    y = np.array([0, 1, 2, 2, 1])
    return dict(W1=W1, b1=b1, W2=W2, b2=b2), X, y


def loss(p, X, y=None, reg=0.0):
    h = np.maximum(0, X @ p["W1"] + p["b1"])
    scores = h @ p["W2"] + p["b2"]
    if y is None:
        return scores
    n = X.shape[0]
    shifted = scores - scores.max(axis=1, keepdims=True)
    logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    data = -logp[np.arange(n), y].mean()
    L = data + reg * (np.sum(p["W1"] ** 2) + np.sum(p["W2"] ** 2))
    d = np.exp(logp)
    d[np.arange(n), y] -= 1
    d /= n
    g = {"W2": h.T @ d + 2 * reg * p["W2"], "b2": d.sum(axis=0)}
    dh = d @ p["W2"].T
    dh[h <= 0] = 0
    g["W1"] = X.T @ dh + 2 * reg * p["W1"]
    g["b1"] = dh.sum(axis=0)
    return L, g


def main():
    p, X, y = toy()
    scores = loss(p, X)
    L, g = loss(p, X, y, reg=0.05)
    if "--json" in sys.argv:
        print(json.dumps({
            "inputs": {"params": {k: v.tolist() for k, v in p.items()}, "X": X.tolist(), "y": y.tolist(), "reg": 0.05},
            "scores": scores.tolist(), "loss": L, "grads": {k: v.tolist() for k, v in g.items()},
            "published": {"scores": PUBLISHED_SCORES.tolist(), "loss": PUBLISHED_LOSS},
        }))
        return
    np.set_printoptions(precision=8)
    print("scores:\n", scores)
    print("sum |scores - published| =", np.abs(scores - PUBLISHED_SCORES).sum(), "(CS231n: < 1e-7)")
    print("loss (reg=0.05) = %.12f" % L)
    print("|loss - 1.30378789133| =", abs(L - PUBLISHED_LOSS), "(CS231n: < 1e-12)")


if __name__ == "__main__":
    main()

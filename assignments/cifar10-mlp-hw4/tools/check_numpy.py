#!/usr/bin/python3
"""Recompute the homework's seed-0 values with NumPy (run with /usr/bin/python3).

The homework prints L = 0.1332476222330792 and gradients close to
b1 = [0.00492, -0.000581, -0.00066]. With --json this prints the inputs and the
values for compare_reference.mjs.
"""
import json
import sys

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def main():
    np.random.seed(0)
    W1, b1, W2, b2 = np.random.randn(3, 2), np.zeros(3), np.random.randn(3), 0.0
    X = np.random.rand(1000, 2)
    Y_T = np.random.randint(0, 2, 1000)
    N = X.shape[0]
    Z1 = X @ W1.T + b1
    H = sigmoid(Z1)
    Z2 = H @ W2 + b2
    Y = sigmoid(Z2)
    L = np.sum((Y - Y_T) ** 2) / (2 * N)
    dZ2 = (Y - Y_T) / N * Y * (1 - Y)
    dZ1 = np.outer(dZ2, W2) * H * (1 - H)
    grads = {"W1": dZ1.T @ X, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum()}
    if "--json" in sys.argv:
        print(json.dumps({
            "inputs": {"X": X.tolist(), "Y": Y_T.tolist(), "weights": {"W1": W1.tolist(), "b1": b1.tolist(), "W2": W2.tolist(), "b2": b2}},
            "L": L, "Y": Y.tolist(), "grads": {k: np.asarray(v).tolist() for k, v in grads.items()},
        }))
        return
    print("L = %r (the homework prints 0.1332476222330792)" % L)
    for k, v in grads.items():
        print(k, np.round(v, 8))


if __name__ == "__main__":
    main()

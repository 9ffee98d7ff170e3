#!/usr/bin/python3
"""Recompute the written answers with NumPy (run with /usr/bin/python3) and
compare them with the reference's `answers` (printed as JSON by
compare_reference.mjs, or pass --json to print NumPy's)."""
import json
import sys

import numpy as np

X = np.array([[1, 0, -2, 3, 4, 1], [2, 9, 5, 6, 0, -1], [0, -3, 1, 3, 4, 4],
              [6, 5, 2, 0, 6, 8], [-5, 4, -3, 1, 3, -2], [4, 1, 2, 8, 9, 7]])
F = np.array([[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]])

# every 3x3 window of X, as a (4, 4, 3, 3) view, times F, summed
windows = np.lib.stride_tricks.sliding_window_view(X, F.shape)
conv = np.einsum("ijab,ab->ij", windows, F)


def out_size(n, k, s, p, d=1):
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


answers = {
    "convOutput": conv.tolist(),
    "outputSize": [out_size(16, 2, 2, 1, 4)] * 2,
    "outputSize2": [out_size(out_size(32, 3, 2, 1), 3, 2, 1)] * 2,
    # one unit of conv3 sees 3 units of conv2, which see 3 + 2 = 5 units of conv1
    "receptiveField": 1 + 2 + 2,
}
if "--json" in sys.argv:
    print(json.dumps(answers))
else:
    for k, v in answers.items():
        print(k, "=", v)

#!/usr/bin/python3
"""Write data/gd_X.npy and data/gd_y.npy, the gradient-descent problem of the spec.

    /usr/bin/python3 assignments/logistic-regression-quiz2/tools/make_gd_data.py

300 examples with 5 features of very different scales (so that a fixed step
of 1 overshoots along the first feature and gradient descent needs its line
search), labelled by a logistic model with noise, so the problem has a finite
minimum that 50 steps approach but do not reach. The labels depend on X,
which the spec's seeded draws cannot express, hence the .npy files.
"""
import os

import numpy as np

here = os.path.dirname(os.path.abspath(__file__))
np.random.seed(3)
X = np.random.randn(300, 5) * np.array([5, 1, 0.3, 1, 0.5])
w_true = np.array([0.2, 1, 1, -1, 0.5])
p = 1 / (1 + np.exp(-(X @ w_true)))
y = (np.random.rand(300) < p).astype(np.int64)
os.makedirs(os.path.join(here, "..", "data"), exist_ok=True)
np.save(os.path.join(here, "..", "data", "gd_X.npy"), X)
np.save(os.path.join(here, "..", "data", "gd_y.npy"), y)
print("X", X.shape, X.dtype, "y", y.shape, y.dtype, "mean y", y.mean())

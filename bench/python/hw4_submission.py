# The correct seed-000 scratch MLP, in NumPy: the "student" side of the Python peer check.
import numpy as np

def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))

def forward_propagation(X, w):
    Z1 = X @ w["W1"].T + w["b1"]
    H = sigmoid(Z1)
    Z2 = H @ w["W2"] + w["b2"]
    return {"Y": sigmoid(Z2), "Z2": Z2, "H": H, "Z1": Z1}

def back_propagation(X, YT, w):
    n = X.shape[0]
    f = forward_propagation(X, w)
    Y, H = f["Y"], f["H"]
    L = np.sum((Y - YT) ** 2) / (2 * n)
    dZ2 = (Y - YT) / n * Y * (1 - Y)
    dZ1 = np.outer(dZ2, w["W2"]) * H * (1 - H)
    grads = {"W1": dZ1.T @ X, "b1": dZ1.sum(axis=0), "W2": H.T @ dZ2, "b2": dZ2.sum()}
    return {"gradients": grads, "L": L}

#!/usr/bin/env python3
"""PyTorch (CPU) side of bench/train-tfjs.mjs: one training epoch and one
test-set evaluation of the FFN (784-128-64-10) and LeNet-5 on Fashion-MNIST.

Same work as the tfjs side: the 60k training images split 48k/12k with
np.random.RandomState(0).permutation(60000) (validation = the first 12000 of the
permutation, training = the rest), x/255, batch 128, Adam(lr=1e-3), one epoch
over shuffled batches; evaluation = logits + argmax accuracy on the 10k test
images in batches of 1000 under torch.no_grad(). The models end in logits and
use F.cross_entropy (PyTorch's idiom for softmax + categorical cross-entropy).

    python3 bench/train-torch.py [--data-dir /usr/share/datasets/fashion-mnist] [--runs 3] [--threads 1] [--json]

--threads sets torch.set_num_threads and OMP/OPENBLAS_NUM_THREADS (default 1,
matching the single-threaded tfjs wasm backend in Node). Debian's python3-torch
calls the system BLAS: install libopenblas0-pthread, or it is the slow reference BLAS. Prints per-run figures and medians; with --json the
last line is a JSON object of the figures (read by bench/train-tfjs.mjs).
"""
import argparse
import gzip
import json
import os
import statistics
import sys
import time


def _threads_from_argv():
    for i, a in enumerate(sys.argv):
        if a == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
    return "1"


# Debian's torch uses the system BLAS (BLAS_INFO=generic): with libopenblas0-pthread
# installed that is OpenBLAS (the reference BLAS otherwise, much slower: install it).
# Its threads follow these variables, which must be set before torch is imported.
for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, _threads_from_argv())

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    nd = data[3]
    dims = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(nd)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * nd).reshape(dims)


def find(d, base):
    for name in (base + ".gz", base):
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    sys.exit(f"{base}(.gz) not found in {d}")


class FFN(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 64)
        self.fc3 = nn.Linear(64, 10)

    def forward(self, x):
        x = x.view(x.shape[0], -1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class LeNet5(nn.Module):
    def __init__(self):
        super().__init__()
        self.c1 = nn.Conv2d(1, 6, 5, padding=2)
        self.c3 = nn.Conv2d(6, 16, 5)
        self.c5 = nn.Conv2d(16, 120, 5)
        self.f6 = nn.Linear(120, 84)
        self.out = nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.c1(x)), 2)
        x = F.max_pool2d(F.relu(self.c3(x)), 2)
        x = F.relu(self.c5(x)).flatten(1)
        return self.out(F.relu(self.f6(x)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--json", action="store_true")
    a = ap.parse_args()

    torch.set_num_threads(a.threads)
    try:
        torch.set_num_interop_threads(1)
    except RuntimeError:
        pass
    log = (lambda *s: print(*s, file=sys.stderr)) if a.json else print
    blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3")
    log(f"torch {torch.__version__}, numpy {np.__version__}, {torch.get_num_threads()} thread(s), system BLAS {blas}")

    x_all = read_idx(find(a.data_dir, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    y_all = read_idx(find(a.data_dir, "train-labels-idx1-ubyte")).astype(np.int64)
    order = np.random.RandomState(0).permutation(len(y_all))
    tr = order[12000:]
    x_train = torch.from_numpy(np.ascontiguousarray(x_all[tr])).unsqueeze(1)
    y_train = torch.from_numpy(y_all[tr])
    x_test = torch.from_numpy(read_idx(find(a.data_dir, "t10k-images-idx3-ubyte")).astype(np.float32) / 255.0).unsqueeze(1)
    y_test = torch.from_numpy(read_idx(find(a.data_dir, "t10k-labels-idx1-ubyte")).astype(np.int64))
    log(f"data: {a.data_dir}; train {len(y_train)} (RandomState(0) split), test {len(y_test)}")

    def epoch(model, opt, n_batches=None):
        model.train()
        perm = torch.randperm(len(y_train))
        for i, s in enumerate(range(0, len(perm), 128)):
            if n_batches is not None and i >= n_batches:
                break
            idx = perm[s:s + 128]
            opt.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x_train[idx]), y_train[idx])
            loss.backward()
            opt.step()

    def evaluate(model):
        model.eval()
        with torch.no_grad():
            pred = torch.cat([model(x_test[s:s + 1000]).argmax(1) for s in range(0, len(y_test), 1000)])
        return (pred == y_test).float().mean().item()

    results = {}
    for key, name, make in (("ffn", "FFN", FFN), ("lenet5", "LeNet-5", LeNet5)):
        m = make()
        epoch(m, torch.optim.Adam(m.parameters(), lr=1e-3), n_batches=4)  # warm-up
        evaluate(m)
        f = {"trainS": [], "evalS": [], "trainCpuS": [], "evalCpuS": [], "accuracy": []}
        for r in range(a.runs):
            m = make()
            opt = torch.optim.Adam(m.parameters(), lr=1e-3)
            c0, t0 = time.process_time(), time.perf_counter()
            epoch(m, opt)
            c1, t1 = time.process_time(), time.perf_counter()
            acc = evaluate(m)
            c2, t2 = time.process_time(), time.perf_counter()
            f["trainS"].append(t1 - t0)
            f["evalS"].append(t2 - t1)
            f["trainCpuS"].append(c1 - c0)
            f["evalCpuS"].append(c2 - c1)
            f["accuracy"].append(acc)
            log(f"  torch {name} run {r + 1}: train epoch {t1 - t0:.2f} s (cpu {c1 - c0:.2f}), eval {t2 - t1:.3f} s (cpu {c2 - c1:.3f}), test accuracy {acc * 100:.1f}%")
        log(f"torch {name}: median train {statistics.median(f['trainS']):.3f} s, eval {statistics.median(f['evalS']):.3f} s")
        results[key] = f
    if a.json:
        print(json.dumps(results))


if __name__ == "__main__":
    main()

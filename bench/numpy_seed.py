"""The seed's training step in numpy, timed: the baseline nnlab's bench compares against.

Modelled on reference/numpy_throughput.py (the seed's class, mended: bias concatenated on each
layer, relu on every layer, W -= lr * d.T @ out / batch), float64, one BLAS thread (the caller
sets OPENBLAS_NUM_THREADS=1). Prints one JSON line per workload.
Usage: python3 numpy_seed.py SECONDS REPEATS name:w0,w1,...:batch [...]
"""
import json
import sys
import time

import numpy as np


class NN:
    def __init__(self, shape, batch):
        self.batch = batch
        self.L = len(shape)
        rng = np.random.default_rng(1)
        self.w = [rng.normal(0, .1, size=(shape[l], shape[l - 1] + 1)) for l in range(1, self.L)]
        self.ins = [None] * self.L
        self.outs = [None] * self.L
        self.errs = [None] * self.L

    def bias(self, a):
        return np.concatenate((np.ones([self.batch, 1]), a), axis=1)

    def step(self, x, y, lr):
        self.outs[0] = self.bias(x)
        for l in range(1, self.L):
            self.ins[l] = np.dot(self.outs[l - 1], self.w[l - 1].T)
            o = np.maximum(self.ins[l], 0)
            self.outs[l] = o if l == self.L - 1 else self.bias(o)
        e = self.outs[-1] - y
        cost = np.sum(np.power(e, 2))
        self.errs[-1] = e * np.where(self.ins[-1] > 0, 1, 0)
        for l in range(self.L - 2, 0, -1):
            self.errs[l] = np.dot(self.errs[l + 1], self.w[l][:, 1:]) * np.where(self.ins[l] > 0, 1, 0)
        for l in range(self.L - 1):
            self.w[l] -= lr * np.dot(self.errs[l + 1].T, self.outs[l]) / self.batch
        return cost


def measure(shape, batch, seconds, repeats):
    rng = np.random.default_rng(0)
    nb = 64
    xs = rng.random((nb, batch, shape[0]))
    ys = rng.random((nb, batch, shape[-1]))
    net = NN(shape, batch)
    t0 = time.perf_counter()
    n = 0
    while time.perf_counter() - t0 < min(0.3, seconds / 4) or n < 10:  # warm-up, not timed
        net.step(xs[n % nb], ys[n % nb], 0.01)
        n += 1
    rates = []
    for _ in range(repeats):
        n, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < seconds / repeats:
            for _ in range(10):
                net.step(xs[n % nb], ys[n % nb], 0.01)
                n += 1
        rates.append(n * batch / (time.perf_counter() - t0))
    rates.sort()
    return rates[len(rates) // 2]


if __name__ == "__main__":
    seconds, repeats = float(sys.argv[1]), int(sys.argv[2])
    for arg in sys.argv[3:]:
        name, widths, batch = arg.split(":")
        shape = [int(w) for w in widths.split(",")]
        sps = measure(shape, int(batch), seconds, repeats)
        print(json.dumps({"workload": name, "samples_per_s": sps}), flush=True)

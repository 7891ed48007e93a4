"""The seed's training step in numpy, timed: the baseline nnlab's bench compares against.

Modelled on reference/numpy_throughput.py (the seed's class, mended: bias concatenated on each
layer, relu on every layer, W -= lr * d.T @ out / batch), float64. The caller sets the BLAS
thread count (OPENBLAS_NUM_THREADS and friends).

A bench agent: `python3 numpy_seed.py --serve` reads one JSON request per line on stdin and
answers one JSON line on stdout, so the bench can interleave it with the other implementations
in rounds:

  {"op": "info"}                                   -> {"numpy": ..., "blas": ..., "threads": ...}
  {"op": "prepare", "workload": "wide", "shape": [64, 256, 256, 10], "batch": 128, "warmup": 0.3}
                                                   -> {"ok": true}
  {"op": "prepare", "workload": "fashion-mnist", "shape": [784, 128, 10], "batch": 64, "warmup": 0.3,
   "task": "fashion-mnist", "dir": "/usr/share/datasets/fashion-mnist"}
                                                   -> {"ok": true}   (real images: softmax, cross-entropy)
  {"op": "measure", "workload": "wide", "seconds": 0.3}
                                                   -> {"samples_per_s": 12345.6}

Each workload keeps its network and batches between requests (it trains on, as nnlab's do).
"""
import ctypes
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


class SoftmaxNN(NN):
    """The same network with a softmax output layer and cross-entropy (nnlab's classification
    step): relu hidden layers, the output's error is p - y, the same update."""

    def __init__(self, shape, batch):
        super().__init__(shape, batch)
        rng = np.random.default_rng(1)
        # He's initialisation, as the task's default (the step's cost does not depend on it)
        self.w = [rng.normal(0, np.sqrt(2 / shape[l - 1]), size=(shape[l], shape[l - 1] + 1)) for l in range(1, self.L)]

    def step(self, x, y, lr):
        self.outs[0] = self.bias(x)
        for l in range(1, self.L):
            self.ins[l] = np.dot(self.outs[l - 1], self.w[l - 1].T)
            if l < self.L - 1:
                self.outs[l] = self.bias(np.maximum(self.ins[l], 0))
        z = self.ins[-1] - np.max(self.ins[-1], axis=1, keepdims=True)
        ez = np.exp(z)
        p = ez / np.sum(ez, axis=1, keepdims=True)
        cost = -np.sum(y * (z - np.log(np.sum(ez, axis=1, keepdims=True))))
        self.errs[-1] = p - y
        for l in range(self.L - 2, 0, -1):
            self.errs[l] = np.dot(self.errs[l + 1], self.w[l][:, 1:]) * np.where(self.ins[l] > 0, 1, 0)
        for l in range(self.L - 1):
            self.w[l] -= lr * np.dot(self.errs[l + 1].T, self.outs[l]) / self.batch
        return cost


def read_idx(path):
    """An IDX file (gzipped as Debian ships it, or not) as a numpy array of its dimensions."""
    import gzip
    import os
    raw = None
    for p in (path + ".gz", path):
        if os.path.exists(p):
            with (gzip.open if p.endswith(".gz") else open)(p, "rb") as f:
                raw = f.read()
            break
    if raw is None:
        raise FileNotFoundError(f"no {path}.gz")
    ndim = raw[3]
    dims = [int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim)]
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim).reshape(dims)


class FashionWorkload:
    """Fashion-MNIST's 60,000 training images (pixels / 255, labels one-hot), in batches of
    rows drawn in a shuffled order (a new order every epoch), gathered every step."""

    def __init__(self, shape, batch, folder):
        import os
        images = read_idx(os.path.join(folder, "train-images-idx3-ubyte"))
        labels = read_idx(os.path.join(folder, "train-labels-idx1-ubyte"))
        # kept as bytes, turned into pixel / 255 per batch (as nnlab's images task does)
        self.x = images.reshape(images.shape[0], -1)
        if self.x.shape[1] != shape[0]:
            raise ValueError(f"the images have {self.x.shape[1]} pixels, the shape's input layer {shape[0]}")
        self.y = np.eye(shape[-1])[labels]
        self.batch = batch
        self.rng = np.random.default_rng(0)
        self.order = self.rng.permutation(len(self.x))
        self.at = 0
        self.net = SoftmaxNN(shape, batch)
        self.n = 0

    def steps(self, k):
        for _ in range(k):
            if self.at + self.batch > len(self.order):
                self.order, self.at = self.rng.permutation(len(self.x)), 0
            rows = self.order[self.at:self.at + self.batch]
            self.at += self.batch
            self.net.step(self.x[rows] / 255.0, self.y[rows], 0.1)
            self.n += 1

    measure = None  # set below (the same clock as Workload's)


class Workload:
    """A network and 64 random batches (inputs and targets U[0, 1)), cycled."""

    def __init__(self, shape, batch):
        rng = np.random.default_rng(0)
        self.nb = 64
        self.batch = batch
        self.xs = rng.random((self.nb, batch, shape[0]))
        self.ys = rng.random((self.nb, batch, shape[-1]))
        self.net = NN(shape, batch)
        self.n = 0

    def steps(self, k):
        for _ in range(k):
            self.net.step(self.xs[self.n % self.nb], self.ys[self.n % self.nb], 0.01)
            self.n += 1

    def measure(self, seconds):
        """Samples/s over about `seconds` of steps (whole steps; the clock is read every step)."""
        done, t0 = 0, time.perf_counter()
        while True:
            self.steps(1)
            done += 1
            dt = time.perf_counter() - t0
            if dt >= seconds:
                return done * self.batch / dt


FashionWorkload.measure = Workload.measure


def blas_info():
    """OpenBLAS's version, the kernel it runs (its 'core') and its threads, as threadpoolctl finds them."""
    info = {}
    try:
        cfg = np.show_config(mode="dicts")
        blas = cfg.get("Build Dependencies", {}).get("blas", {})
        info["blas"] = f"{blas.get('name', '?')} {blas.get('version', '')}".strip()
    except Exception:  # older numpy: no mode="dicts"
        info["blas"] = "unknown"
    try:
        with open("/proc/self/maps") as f:
            libs = sorted({line.split()[-1] for line in f if "openblas" in line.lower() and ".so" in line})
        for path in libs:
            lib = ctypes.CDLL(path)
            for prefix, suffix in (("scipy_openblas_", "64_"), ("openblas_", "64_"), ("openblas_", "")):
                core = getattr(lib, f"{prefix}get_corename{suffix}", None)
                if core is None:
                    continue
                core.restype = ctypes.c_char_p
                info["core"] = core().decode()
                threads = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
                if threads is not None:
                    threads.restype = ctypes.c_int
                    info["threads"] = threads()
                return info
    except Exception as e:  # best effort: the bench says what it could not find
        info["coreError"] = str(e)
    return info


def serve():
    workloads = {}
    for line in sys.stdin:
        req = json.loads(line)
        op = req.get("op")
        if op == "info":
            out = {"numpy": np.__version__, **blas_info()}
        elif op == "prepare":
            if req.get("task") == "fashion-mnist":
                try:
                    w = FashionWorkload(req["shape"], req["batch"], req["dir"])
                except (OSError, ValueError) as e:
                    print(json.dumps({"error": f"Fashion-MNIST: {e}"}), flush=True)
                    continue
            elif req.get("task") is not None:
                print(json.dumps({"error": f"unknown task {req['task']!r}"}), flush=True)
                continue
            else:
                w = Workload(req["shape"], req["batch"])
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < req.get("warmup", 0.3) or w.n < 10:  # warm-up, not timed
                w.steps(1)
            workloads[req["workload"]] = w
            out = {"ok": True}
        elif op == "measure":
            out = {"samples_per_s": workloads[req["workload"]].measure(req["seconds"])}
        else:
            out = {"error": f"unknown op {op!r}"}
        print(json.dumps(out), flush=True)


if __name__ == "__main__":
    if sys.argv[1:] != ["--serve"]:
        sys.exit("usage: python3 numpy_seed.py --serve (one JSON request per line on stdin)")
    serve()

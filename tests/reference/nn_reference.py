"""The project's float64 numpy reference: the seed's network (../shared/reference/seed_nn.py,
which stays the seed's own oracle) extended with what nnlab's run spec adds, written
independently of the TypeScript trainer from the definitions below.

  - weights[l] has shape (shape[l+1], shape[l] + 1); column 0 multiplies the constant-1 bias.
  - forward: out0 = [1, x]; z_l = out_{l-1} @ W_{l-1}.T; hidden out_l = [1, act(z_l)];
    output out_L = f(z_L), f by outputActivation: "seed" (the hidden activation, as the seed),
    "linear", "sigmoid" or "softmax" (per row: exp(z - max z) / sum).
  - loss, summed over the batch (the cost history holds these sums):
      sse            sum(err ** 2), err = out_L - y; delta_L = err * f'(z_L), or through
                     softmax's Jacobian: p * (err - sum(err * p)) per row;
      cross-entropy  softmax: sum over rows of logsumexp(z) - sum(y * z) (= -sum y log p);
                     sigmoid: sum(softplus(z) - y * z) (= -sum[y log p + (1 - y) log(1 - p)]);
                     delta_L = p - y.
  - backprop: d_l = (d_{l+1} @ W_l[:, 1:]) * act'(z_l).
  - gradient: g_l = (d_{l+1}.T @ out_l) / batch, then on the non-bias columns
    g_l[:, 1:] += l2 * W_l[:, 1:] + l1 * sign(W_l[:, 1:]).
  - the step, by "optimizer" (PyTorch's documented rules for torch.optim.SGD and torch.optim.Adam,
    on g_l; t counts steps from 1; state starts at 0):
      sgd        W -= lr * g
      momentum   b = momentum * b + g  (SGD with momentum, dampening 0, not Nesterov: at t = 1,
                 b = g); W -= lr * b
      adam       m = beta1 * m + (1 - beta1) * g;  v = beta2 * v + (1 - beta2) * g ** 2
                 m_hat = m / (1 - beta1 ** t);  v_hat = v / (1 - beta2 ** t)
                 W -= lr * m_hat / (sqrt(v_hat) + adamEpsilon)
    An optimizer is one entry of OPTIMIZERS: a function from the spec to a step(weights, grads).

Usage: python3 nn_reference.py SPEC.json > RESULT.json (a JSON list of SPECs gives a list of RESULTs)
SPEC: the seed oracle's ({"shape", "activation", "learningRate", "initialWeights", "inputs"
      (batches x batch x in), "targets", "testInputs"}) plus, optional: "outputActivation"
      ("seed"), "loss" ("sse"), "l1" (0), "l2" (0), "optimizer" ("sgd"), "momentum" (0.9),
      "beta1" (0.9), "beta2" (0.999), "adamEpsilon" (1e-8) — the run spec's names and defaults.
RESULT: {"costHistory": [...], "finalWeights": [...], "testEstimates": [[...]]}
"""
import json
import sys

import numpy as np
from scipy.special import expit, logsumexp

LEAKY_SLOPE = 0.01


def act(name, z):
    if name == "relu":
        return np.maximum(z, 0.0)
    if name == "sigmoid":
        return expit(z)
    if name == "tanh":
        return np.tanh(z)
    if name == "leakyRelu":
        return np.where(z < 0, LEAKY_SLOPE * z, z)
    if name == "linear":
        return z
    if name == "softmax":
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)
    raise ValueError(f"unknown activation {name}")


def act_deriv(name, z):
    if name == "relu":
        return (z > 0).astype(np.float64)
    if name == "sigmoid":
        s = expit(z)
        return s * (1.0 - s)
    if name == "tanh":
        return 1.0 - np.tanh(z) ** 2
    if name == "leakyRelu":
        return np.where(z > 0, 1.0, LEAKY_SLOPE)
    if name == "linear":
        return np.ones_like(z)
    raise ValueError(f"{name} has no elementwise derivative")


def softplus(z):
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def with_bias(a):
    return np.concatenate((np.ones((a.shape[0], 1)), a), axis=1)


def forward(weights, hidden, output, x):
    outs, zs = [with_bias(x)], [None]
    for l, w in enumerate(weights):
        z = outs[-1] @ w.T
        zs.append(z)
        last = l == len(weights) - 1
        outs.append(act(output, z) if last else with_bias(act(hidden, z)))
    return zs, outs


def loss_and_delta(loss, output, z, p, y):
    """The batch's cost and dCost/dz (sse: half of it, the seed's convention)."""
    if loss == "sse":
        err = p - y
        cost = float(np.sum(err ** 2))
        if output == "softmax":
            delta = p * (err - np.sum(err * p, axis=1, keepdims=True))
        else:
            delta = err * act_deriv(output, z)
        return cost, delta
    if loss == "cross-entropy":
        if output == "softmax":
            cost = float(np.sum(logsumexp(z, axis=1) - np.sum(y * z, axis=1)))
        elif output == "sigmoid":
            cost = float(np.sum(softplus(z) - y * z))
        else:
            raise ValueError("cross-entropy needs softmax or sigmoid outputs")
        return cost, p - y
    raise ValueError(f"unknown loss {loss}")


def sgd(spec):
    lr = float(spec["learningRate"])

    def step(weights, grads):
        for w, g in zip(weights, grads):
            w -= lr * g

    return step


def with_state(new_state, update):
    """An optimiser that keeps a state for each weight matrix, made from its first gradient:
    each step calls update(w, g, state, t) for every matrix, t counting the steps from 1."""
    states = None
    t = 0

    def step(weights, grads):
        nonlocal states, t
        t += 1
        if states is None:
            states = [new_state(g) for g in grads]
        for w, g, s in zip(weights, grads, states):
            update(w, g, s, t)

    return step


def momentum(spec):
    """torch.optim.SGD(momentum=mu): b_t = mu * b_{t-1} + g_t (b_1 = g_1), W -= lr * b_t."""
    lr = float(spec["learningRate"])
    mu = float(spec.get("momentum", 0.9))

    def update(w, g, b, t):
        if t > 1:
            b *= mu
            b += g
        w -= lr * b

    return with_state(lambda g: g.copy(), update)


def adam(spec):
    """torch.optim.Adam: moments with bias correction, W -= lr * m_hat / (sqrt(v_hat) + eps)."""
    lr = float(spec["learningRate"])
    beta1 = float(spec.get("beta1", 0.9))
    beta2 = float(spec.get("beta2", 0.999))
    eps = float(spec.get("adamEpsilon", 1e-8))

    def update(w, g, moments, t):
        m, v = moments
        m[:] = beta1 * m + (1.0 - beta1) * g
        v[:] = beta2 * v + (1.0 - beta2) * g * g
        m_hat = m / (1.0 - beta1 ** t)
        v_hat = v / (1.0 - beta2 ** t)
        w -= lr * m_hat / (np.sqrt(v_hat) + eps)

    return with_state(lambda g: (np.zeros_like(g), np.zeros_like(g)), update)


OPTIMIZERS = {"sgd": sgd, "momentum": momentum, "adam": adam}


def train(spec):
    hidden = spec["activation"]
    mode = spec.get("outputActivation", "seed")
    output = hidden if mode == "seed" else mode
    loss = spec.get("loss", "sse")
    l1 = float(spec.get("l1", 0.0))
    l2 = float(spec.get("l2", 0.0))
    name = spec.get("optimizer", "sgd")
    if name not in OPTIMIZERS:
        raise ValueError(f"unknown optimizer {name}")
    step = OPTIMIZERS[name](spec)
    weights = [np.array(w, dtype=np.float64) for w in spec["initialWeights"]]
    inputs = np.array(spec["inputs"], dtype=np.float64)
    targets = np.array(spec["targets"], dtype=np.float64)
    costs = []
    for xb, yb in zip(inputs, targets):
        n = xb.shape[0]
        zs, outs = forward(weights, hidden, output, xb)
        cost, delta = loss_and_delta(loss, output, zs[-1], outs[-1], yb)
        costs.append(cost)
        deltas = [None] * len(outs)
        deltas[-1] = delta
        for l in range(len(outs) - 2, 0, -1):
            deltas[l] = (deltas[l + 1] @ weights[l][:, 1:]) * act_deriv(hidden, zs[l])
        grads = []
        for l, w in enumerate(weights):
            g = (deltas[l + 1].T @ outs[l]) / n
            g[:, 1:] += l2 * w[:, 1:] + l1 * np.sign(w[:, 1:])
            grads.append(g)
        step(weights, grads)
    test = np.array(spec.get("testInputs", []), dtype=np.float64)
    est = forward(weights, hidden, output, test)[1][-1].tolist() if test.size else []
    return {"costHistory": costs, "finalWeights": [w.tolist() for w in weights], "testEstimates": est}


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        given = json.load(f)
    json.dump([train(s) for s in given] if isinstance(given, list) else train(given), sys.stdout)

#!/usr/bin/env python3
"""Golden values for the LSTM, cross-entropy and embedding tests, from PyTorch.

Regenerate (from the repository root, needs PyTorch; the committed file was
made with torch 1.13) with:

    python3 layers/testdata/make_golden_lstm.py

It writes lstm.json next to this script, one case per line. Every case has
a name, a kind and its sizes, and a dict "tensors" of named tensors, each
{"shape": [...], "data": [...]} flattened in row-major order:

  lstm   nn.LSTM (time-major, zero initial state, dropout 0) on x [T, B, In]:
         x, W_ih_l<k> [4H, in], W_hh_l<k> [4H, H], b_ih_l<k>, b_hh_l<k> [4H]
         (vigil's single bias is b_ih + b_hh), the output y [T, B, H], a fixed
         r, and the gradients d<name> of loss = sum(y * r) for x and every
         weight (the gradients of b_ih and b_hh are equal; stored once as
         db_l<k>).
  xent   F.cross_entropy(logits, targets, reduction="none", ignore_index=-1):
         logits [N, V], targets [N] (some -1), loss [N], a fixed r, the
         gradient dlogits of sum(loss * r) and the mean-reduced loss "mean"
         (F.cross_entropy's default reduction over the rows that count).
  lm     nn.Embedding -> nn.LSTM -> nn.Linear -> F.cross_entropy (mean over
         the targets that are not -1): ids and targets [T, B], emb [V, D],
         the LSTM weights as above, dense_W [H, V] (vigil's [in, out]
         layout, the transpose of nn.Linear's weight), dense_b [V], the loss
         and the gradients of every weight.

Inputs are rounded to float32; values are computed in float64.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))


def f32(t):
    """Rounds to float32 so that the Go side reads the exact same inputs."""
    return t.float().double().requires_grad_(True)


def tensor(t):
    t = t.detach()
    return {"shape": list(t.shape), "data": [float(v) for v in t.reshape(-1)]}


def make_lstm(inp, hidden, layers):
    m = torch.nn.LSTM(inp, hidden, layers)
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(f32(p.uniform_(-0.6, 0.6)))
    return m


def lstm_weights(m, layers, out, grads):
    for k in range(layers):
        for torch_name, name in (("weight_ih", "W_ih"), ("weight_hh", "W_hh"),
                                 ("bias_ih", "b_ih"), ("bias_hh", "b_hh")):
            p = getattr(m, "%s_l%d" % (torch_name, k))
            out["%s_l%d" % (name, k)] = tensor(p)
            if grads and name != "b_hh":
                gname = "db_l%d" % k if name == "b_ih" else "d%s_l%d" % (name, k)
                out[gname] = tensor(p.grad)


def lstm(name, t, b, inp, hidden, layers):
    m = make_lstm(inp, hidden, layers)
    x = f32(torch.randn(t, b, inp))
    y, _ = m(x)
    r = f32(torch.randn(y.shape)).detach()
    (y * r).sum().backward()
    ts = {"x": tensor(x), "y": tensor(y), "r": tensor(r), "dx": tensor(x.grad)}
    lstm_weights(m, layers, ts, True)
    return dict(name=name, kind="lstm", T=t, B=b, inp=inp, hidden=hidden, layers=layers, tensors=ts)


def xent(name, n, v, ignore):
    logits = f32(torch.randn(n, v) * 3)
    targets = torch.randint(0, v, (n,))
    for i in ignore:
        targets[i] = -1
    loss = F.cross_entropy(logits, targets, reduction="none", ignore_index=-1)
    mean = F.cross_entropy(logits, targets, ignore_index=-1)
    r = f32(torch.randn(n)).detach()
    (loss * r).sum().backward()
    ts = {"logits": tensor(logits), "targets": tensor(targets.double()), "loss": tensor(loss),
          "mean": tensor(mean.reshape(1)), "r": tensor(r), "dlogits": tensor(logits.grad)}
    return dict(name=name, kind="xent", N=n, V=v, tensors=ts)


def lm(name, t, b, vocab, dim, hidden, layers):
    emb = torch.nn.Embedding(vocab, dim)
    with torch.no_grad():
        emb.weight.copy_(f32(emb.weight))
    m = make_lstm(dim, hidden, layers)
    dense = torch.nn.Linear(hidden, vocab)
    with torch.no_grad():
        dense.weight.copy_(f32(dense.weight))
        dense.bias.copy_(f32(dense.bias))
    ids = torch.randint(0, vocab, (t, b))
    targets = torch.randint(0, vocab, (t, b))
    targets[t - 1, 0] = -1
    y, _ = m(emb(ids))
    logits = dense(y.reshape(t * b, hidden))
    loss = F.cross_entropy(logits, targets.reshape(-1), ignore_index=-1)
    loss.backward()
    ts = {"ids": tensor(ids.double()), "targets": tensor(targets.double()),
          "emb": tensor(emb.weight), "demb": tensor(emb.weight.grad),
          "dense_W": tensor(dense.weight.t()), "ddense_W": tensor(dense.weight.grad.t()),
          "dense_b": tensor(dense.bias), "ddense_b": tensor(dense.bias.grad),
          "loss": tensor(loss.reshape(1))}
    lstm_weights(m, layers, ts, True)
    return dict(name=name, kind="lm", T=t, B=b, vocab=vocab, dim=dim, hidden=hidden,
                layers=layers, tensors=ts)


def main():
    torch.manual_seed(20240612)
    cases = [
        lstm("1layer_T4_B2_In3_H4", 4, 2, 3, 4, 1),
        lstm("1layer_T1_B3_In2_H5", 1, 3, 2, 5, 1),
        lstm("2layer_T5_B2_In3_H4", 5, 2, 3, 4, 2),
        lstm("2layer_T3_B9_In5_H17", 3, 9, 5, 17, 2),
        xent("N6_V5_two_ignored", 6, 5, [1, 4]),
        xent("N4_V40", 4, 40, []),
        lm("V7_D3_H4_T4_B2", 4, 2, 7, 3, 4, 1),
        lm("V11_D4_H6_T3_B3_2layer", 3, 3, 11, 4, 6, 2),
    ]
    with open(os.path.join(HERE, "lstm.json"), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n")


if __name__ == "__main__":
    main()

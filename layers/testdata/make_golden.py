#!/usr/bin/env python3
"""Golden forward values and gradients for the layers tests, from PyTorch.

Regenerate (from the repository root, needs PyTorch; the committed files
were made with torch 1.13) with:

    python3 layers/testdata/make_golden.py

It writes conv2d.json, conv_transpose2d.json and dense.json next to this
script, one case per line. Every case holds the layer's hyperparameters,
an input x, weights w (in vigil's layout: Conv2D [out, in, k, k],
ConvTranspose2D [in, out, k, k], Dense [in, out]), bias b, the output y, a
fixed tensor r and the gradients dx, dw, db of loss = sum(y * r). Inputs
are rounded to float32; values are computed in float64 and stored
flattened in row-major order.
"""
import json
import os

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
HERE = os.path.dirname(os.path.abspath(__file__))

ACTS = {
    "linear": lambda v: v,
    "relu": torch.relu,
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
}


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def f32(t):
    """Rounds to float32 so that the Go side reads the exact same inputs."""
    return t.float().double().requires_grad_(True)


def run(case, x, w, b, forward, w_out):
    x, w, b = f32(x), f32(w), f32(b)
    y = ACTS[case["act"]](forward(x, w, b))
    r = f32(torch.randn(y.shape)).detach()
    (y * r).sum().backward()
    case.update(
        x_shape=list(x.shape), x=flat(x),
        w=flat(w_out(w)), b=flat(b),
        y_shape=list(y.shape), y=flat(y), r=flat(r),
        dx=flat(x.grad), dw=flat(w_out(w.grad)), db=flat(b.grad),
    )
    return case


def conv2d(name, n, cin, cout, h, w, k, s, p, act):
    case = dict(name=name, in_c=cin, out_c=cout, kernel=k, stride=s, pad=p, act=act)
    x = torch.randn(n, cin, h, w)
    wt = torch.randn(cout, cin, k, k) * 0.5
    b = torch.randn(cout) * 0.5
    return run(case, x, wt, b, lambda x, wt, b: F.conv2d(x, wt, b, stride=s, padding=p), lambda t: t)


def conv_transpose2d(name, n, cin, cout, h, w, k, s, p, op, act):
    case = dict(name=name, in_c=cin, out_c=cout, kernel=k, stride=s, pad=p, out_pad=op, act=act)
    x = torch.randn(n, cin, h, w)
    wt = torch.randn(cin, cout, k, k) * 0.5
    b = torch.randn(cout) * 0.5
    fwd = lambda x, wt, b: F.conv_transpose2d(x, wt, b, stride=s, padding=p, output_padding=op)
    return run(case, x, wt, b, fwd, lambda t: t)


def dense(name, n, cin, cout, act):
    case = dict(name=name, in_c=cin, out_c=cout, act=act)
    x = torch.randn(n, cin)
    wt = torch.randn(cout, cin) * 0.5  # torch.nn.Linear layout [out, in]
    b = torch.randn(cout) * 0.5
    return run(case, x, wt, b, F.linear, lambda t: t.t())


def write(fname, cases):
    with open(os.path.join(HERE, fname), "w") as f:
        f.write("[\n" + ",\n".join(json.dumps(c) for c in cases) + "\n]\n")


def main():
    torch.manual_seed(20240611)
    write("conv2d.json", [
        conv2d("2to3_k3s2p1", 1, 2, 3, 7, 6, 3, 2, 1, "linear"),
        conv2d("2to4_k3s1p1_relu_batch2", 2, 2, 4, 5, 4, 3, 1, 1, "relu"),
        conv2d("3to2_k2s3p0_tanh_uncovered_row", 2, 3, 2, 9, 7, 2, 3, 0, "tanh"),
        conv2d("1to2_k5s2p2_sigmoid", 1, 1, 2, 6, 5, 5, 2, 2, "sigmoid"),
        conv2d("5to3_k3s1p1_relu_batch2", 2, 5, 3, 6, 5, 3, 1, 1, "relu"),
        conv2d("4to6_k3s2p1_tanh", 2, 4, 6, 9, 8, 3, 2, 1, "tanh"),
    ])
    write("conv_transpose2d.json", [
        conv_transpose2d("3to2_k3s2p1op1", 1, 3, 2, 4, 3, 3, 2, 1, 1, "linear"),
        conv_transpose2d("2to3_k3s1p0_relu_batch2", 2, 2, 3, 3, 4, 3, 1, 0, 0, "relu"),
        conv_transpose2d("2to2_k4s2p1_tanh", 2, 2, 2, 3, 3, 4, 2, 1, 0, "tanh"),
        conv_transpose2d("1to2_k2s3p0op2_sigmoid", 1, 1, 2, 3, 2, 2, 3, 0, 2, "sigmoid"),
        conv_transpose2d("4to3_k3s2p1op1_relu_batch2", 2, 4, 3, 4, 3, 3, 2, 1, 1, "relu"),
        conv_transpose2d("5to2_k4s1p2_tanh", 1, 5, 2, 5, 4, 4, 1, 2, 0, "tanh"),
    ])
    write("dense.json", [
        dense("5to4_relu", 3, 5, 4, "relu"),
        dense("5to4_sigmoid", 3, 5, 4, "sigmoid"),
        dense("5to4_tanh", 2, 5, 4, "tanh"),
        dense("5to4_linear", 2, 5, 4, "linear"),
    ])


if __name__ == "__main__":
    main()

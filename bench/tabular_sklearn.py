#!/usr/bin/python3
"""The scikit-learn side of bench/tabular.sh: writes the benchmark data and
times sklearn.svm.SVC and sklearn.ensemble.RandomForestClassifier on it,
then compares the models with vigil's (bench/tabular writes them).

Run with Debian's interpreter, /usr/bin/python3 (python3-sklearn 1.2.1):

    /usr/bin/python3 bench/tabular_sklearn.py gen DIR
        writes DIR/cert.csv (1,000 rows x 96 features, 7% positives) and
        DIR/large.csv (5,000 x 40, 7% positives)
    /usr/bin/python3 bench/tabular_sklearn.py svm CSV CW REPS VIGIL_OUT
    /usr/bin/python3 bench/tabular_sklearn.py forest CSV CW REPS THREADS VIGIL_OUT

CW is "none" or "balanced". Each prints one "sklearn:" line with the median
of REPS timed runs (after one untimed warm-up) and one "check:" line that
compares the model with vigil's, read from VIGIL_OUT.

The data come from the 64-bit LCG of models/*/testdata/make_golden.py. The
CSV holds integer hundredths; both sides divide by 100 in one correctly
rounded division, so Go and numpy hold bit-identical float64 inputs.
"""

import os
import statistics
import sys
import time

import numpy as np
import sklearn
from sklearn.ensemble import RandomForestClassifier
from sklearn.svm import SVC

MASK = (1 << 64) - 1


class LCG:
    """Knuth's MMIX LCG; next() returns the top 31 bits of the state."""

    def __init__(self, seed):
        self.s = seed & MASK

    def next(self):
        self.s = (self.s * 6364136223846793005 + 1442695040888963407) & MASK
        return self.s >> 33

    def intn(self, n):
        return self.next() % n


def tri(r, half):
    """Triangular noise in hundredths, half-width half (in hundredths)."""
    return r.intn(half + 1) + r.intn(half + 1) - half


def user_features(seed, n, d):
    """Rows shaped like per-user activity features (CERT insider-threat
    style): every 4th feature is a count (integers 0..14, many ties), the
    others continuous in hundredths with half-widths 0.5 to 2.5. Exactly 7%
    of the rows are positive (row i when 7i mod 100 < 7, spread through the
    file); a positive row is shifted on every 5th feature by a fifth to a
    third of the noise, so the classes overlap heavily, as real insider
    features do. Returns the labels and rows of integer hundredths."""
    r = LCG(seed)
    ys, xs = [], []
    for i in range(n):
        lab = (7 * i) % 100 < 7
        row = []
        for j in range(d):
            informative = lab and j % 5 == 0
            if j % 4 == 0:
                v = r.intn(8) + r.intn(8) + (2 if informative else 0)
                row.append(100 * v)
            else:
                half = 50 * (1 + j % 5)
                shift = half // 3 if informative else 0
                row.append(shift + tri(r, half))
        ys.append(1 if lab else 0)
        xs.append(row)
    return ys, xs


DATASETS = {"cert": (11, 1000, 96), "large": (12, 5000, 40)}


def gen(out):
    for name, (seed, n, d) in DATASETS.items():
        ys, xs = user_features(seed, n, d)
        with open(os.path.join(out, name + ".csv"), "w") as f:
            f.write("label," + ",".join("f%d" % j for j in range(d)) + "\n")
            for lab, row in zip(ys, xs):
                f.write("%d,%s\n" % (lab, ",".join(str(v) for v in row)))


def load(path):
    a = np.loadtxt(path, delimiter=",", skiprows=1, dtype=np.int64)
    y = a[:, 0].astype(bool)
    x = a[:, 1:].astype(np.float64) / 100  # correctly rounded, as Go's float64(v)/100
    return np.ascontiguousarray(x), y


def timed(fn, reps):
    """Runs fn once untimed, then reps times; returns the median seconds and
    the last result."""
    res = fn()
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        res = fn()
        ts.append(time.perf_counter() - t0)
    return statistics.median(ts), res


def read_vigil(path):
    """VIGIL_OUT: "key value..." lines, then "values" and one float a row."""
    meta, vals = {}, []
    with open(path) as f:
        it = iter(f)
        for line in it:
            parts = line.split()
            if parts[0] == "values":
                vals = [float(v) for v in it]
                break
            meta[parts[0]] = parts[1:]
    return meta, np.array(vals)


def name_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def bench_svm(csv, cw, reps, vigil_out):
    x, y = load(csv)
    kw = dict(kernel="rbf", gamma="scale", C=1.0, tol=1e-3, shrinking=True, cache_size=200)
    if cw == "balanced":
        kw["class_weight"] = "balanced"
    t_fit, m = timed(lambda: SVC(**kw).fit(x, y), reps)
    t_dec, dec = timed(lambda: m.decision_function(x), reps)
    sv = np.sort(m.support_)
    cneg, cpos = m.class_weight_ * 1.0  # C = 1
    n_iter = int(np.ravel(m.n_iter_)[0])
    print("sklearn: svm data=%s n=%d d=%d pos=%d cw=%s C+=%.6g C-=%.6g gamma=%.17g train_ms=%.2f decision_ms=%.2f n_sv=%d iter=%d reps=%d sklearn=%s"
          % (name_of(csv), len(y), x.shape[1], int(y.sum()), cw, cpos, cneg, m._gamma,
             t_fit * 1e3, t_dec * 1e3, len(sv), n_iter, reps, sklearn.__version__))
    meta, vdec = read_vigil(vigil_out)
    vsv = np.array([int(v) for v in meta["sv"]])
    same_sv = len(vsv) == len(sv) and np.array_equal(vsv, sv)
    diff = np.max(np.abs(vdec - dec))
    agree = np.mean((vdec >= 0) == (dec >= 0))
    print("check:   svm data=%s cw=%s n_sv vigil=%d sklearn=%d same_sv_set=%s iter vigil=%s sklearn=%d gamma_rel_diff=%.2g bias vigil=%s sklearn=%.17g max_abs_decision_diff=%.3g (max |f| %.3g) same_sign=%.4f"
          % (name_of(csv), cw, len(vsv), len(sv), "yes" if same_sv else "NO", meta["iter"][0], n_iter,
             abs(float(meta["gamma"][0]) / m._gamma - 1), meta["bias"][0], m.intercept_[0],
             diff, np.max(np.abs(dec)), agree))


def bench_forest(csv, cw, reps, threads, vigil_out):
    x, y = load(csv)
    kw = dict(n_estimators=100, max_features="sqrt", bootstrap=True, random_state=0, n_jobs=threads,
              class_weight=("balanced" if cw == "balanced" else None))
    t_fit, m = timed(lambda: RandomForestClassifier(**kw).fit(x, y), reps)
    t_pred, p = timed(lambda: m.predict_proba(x)[:, 1], reps)
    nodes = sum(e.tree_.node_count for e in m.estimators_)
    print("sklearn: forest data=%s n=%d d=%d pos=%d cw=%s threads=%d train_ms=%.2f proba_ms=%.2f nodes=%d reps=%d sklearn=%s"
          % (name_of(csv), len(y), x.shape[1], int(y.sum()), cw, threads, t_fit * 1e3, t_pred * 1e3, nodes, reps,
             sklearn.__version__))
    meta, vp = read_vigil(vigil_out)
    vimp = np.array([float(v) for v in meta["importances"]])
    print("check:   forest data=%s cw=%s threads=%d trees vigil=%s sklearn=%d max_abs_proba_diff=%.3g max_abs_importance_diff=%.3g"
          % (name_of(csv), cw, threads, meta["trees"][0], len(m.estimators_), np.max(np.abs(vp - p)),
             np.max(np.abs(vimp - m.feature_importances_))))


def main(argv):
    if len(argv) >= 2 and argv[0] == "gen":
        gen(argv[1])
    elif len(argv) == 5 and argv[0] == "svm":
        bench_svm(argv[1], argv[2], int(argv[3]), argv[4])
    elif len(argv) == 6 and argv[0] == "forest":
        bench_forest(argv[1], argv[2], int(argv[3]), int(argv[4]), argv[5])
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])

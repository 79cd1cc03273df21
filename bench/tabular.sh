#!/usr/bin/env bash
# Compares vigil's tabular learners with scikit-learn in the same run, on
# the same data: models/svm (LIBSVM's SMO) against sklearn.svm.SVC, and
# models/forest's random forest against sklearn.ensemble.RandomForestClassifier.
#
# Data: tabular_sklearn.py writes two generated imbalanced sets once, as
# integer hundredths in CSV files that both sides read (bit-identical
# float64 inputs): "cert", 1,000 rows x 96 features like per-user CERT
# activity features, and "large", 5,000 x 40, 7% positives each.
#
# SVM: RBF kernel, gamma "scale", C = 1, tol 1e-3, shrinking on, a 200 MB
# kernel cache (SVC's defaults); class weights none (C+ = C- = 1) and
# "balanced" (C+ = n/(2 n+), C- = n/(2 n-); vigil: svm.ClassWeightsIR).
# Both are single-threaded, so one thread each. Timed: training, and the
# decision function over the training rows.
#
# Forest: 100 trees, sqrt features, bootstrap, random_state 0, class
# weights none and "balanced", on THREADS_LIST threads (n_jobs = Workers =
# GOMAXPROCS). Timed: training, and P(true) over the training rows (vigil
# splits the rows over the threads; scikit-learn splits the trees). With the
# same seed both grow the same trees, so probabilities and importances must
# agree exactly.
#
# Every figure is the median of REPS timed runs after one warm-up, on each
# side; ratios are scikit-learn's time over vigil's (above 1: vigil faster).
# The "check:" lines say whether the models are the same: the support
# vector set, the SMO iteration count and the decision values for the SVM,
# the probabilities and importances for the forest.
#   REPS=5 THREADS_LIST="1 2" bench/tabular.sh
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-5}
THREADS_LIST=${THREADS_LIST:-1 2}
PY=${PY:-/usr/bin/python3}
"$PY" -c 'import sklearn' 2>/dev/null || { echo "tabular.sh: $PY cannot import sklearn (apt-get install python3-sklearn)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$PY" bench/tabular_sklearn.py gen "$tmp"
go build -o "$tmp/tabular" ./bench/tabular

field() { sed -E "s/.* $2=([0-9.]+).*/\1/" <<<"$1"; }
ratio() { # label, key, vigil line, sklearn line
	awk -v v="$(field "$3" "$2")" -v s="$(field "$4" "$2")" -v l="$1" \
		'BEGIN { printf "ratio sklearn/vigil (%s): %.2fx (%.2f ms vs %.2f ms)\n", l, s / v, v, s }'
}

load() { echo "== load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) CPUs"; }
load
echo "== SVC vs models/svm (rbf, gamma scale, C 1, tol 1e-3, shrinking, cache 200 MB), 1 thread each, median of $REPS"
for data in cert large; do
	for cw in none balanced; do
		ours=$(GOMAXPROCS=1 "$tmp/tabular" -model svm -data "$tmp/$data.csv" -cw "$cw" -reps "$REPS" -out "$tmp/vigil.txt")
		peer=$(OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$PY" bench/tabular_sklearn.py svm "$tmp/$data.csv" "$cw" "$REPS" "$tmp/vigil.txt")
		sk=$(grep '^sklearn:' <<<"$peer")
		echo "$ours"
		echo "$peer"
		ratio "SVM training, $data, class_weight $cw, 1 thread" train_ms "$ours" "$sk"
		ratio "SVM decision function over the $data rows, class_weight $cw, 1 thread" decision_ms "$ours" "$sk"
	done
done

for t in $THREADS_LIST; do
	echo "== RandomForestClassifier vs models/forest (100 trees, sqrt features, bootstrap), $t thread(s) each, median of $REPS"
	for data in cert large; do
		for cw in none balanced; do
			ours=$(GOMAXPROCS=$t "$tmp/tabular" -model forest -data "$tmp/$data.csv" -cw "$cw" -threads "$t" -reps "$REPS" -out "$tmp/vigil.txt")
			peer=$(OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$PY" bench/tabular_sklearn.py forest "$tmp/$data.csv" "$cw" "$REPS" "$t" "$tmp/vigil.txt")
			sk=$(grep '^sklearn:' <<<"$peer")
			echo "$ours"
			echo "$peer"
			ratio "forest training, $data, class_weight $cw, $t thread(s)" train_ms "$ours" "$sk"
			ratio "forest P(true) over the $data rows, class_weight $cw, $t thread(s)" proba_ms "$ours" "$sk"
		done
	done
done
load

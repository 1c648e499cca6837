#!/usr/bin/env bash
# make compare: albench side by side with PyTorch (compare/torch_al.py) on the same
# protocols and seeds, single-threaded, then albench's -j 2 scaling and the peak
# memory of the benchmark. Takes about two minutes; not part of make test.
#
#   1. compare/tutorial.yaml (configs/tutorial.yaml) and compare/sound.yaml
#      (bench.yaml's protocol on the synthetic data, random and least confidence)
#      with `albench run -j 1` and with torch_al.py (torch.set_num_threads(1),
#      float64). Per trial: albench's train_ms + query_ms summed over the rounds
#      of timings.csv, PyTorch's perf_counter around the same loop (train,
#      evaluate, query); neither counts imports, data generation or writing
#      results. Prints ms/trial, the ratio and each side's mean final accuracy.
#   2. Throughput: the trial time of `albench run` on compare/sound.yaml with 20
#      seeds, -j 1 against -j 2, fastest of three alternating runs each.
#   3. Peak RSS of `albench run` (default -j, as make bench) on configs/bench.yaml
#      with its seeds cut to $RSS_SEEDS (default 3; memory is bounded by the jobs
#      in flight, not the seeds; RSS_SEEDS=20 is the full make bench, ~5 minutes
#      on two idle cores).
#
# Environment: PYTHON (default /usr/bin/python3, Debian's, where python3-torch
# installs), RSS_SEEDS, GO (default go).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-/usr/bin/python3}
GO=${GO:-go}
RSS_SEEDS=${RSS_SEEDS:-3}

if ! "$PY" -c 'import torch, sklearn' 2>/dev/null; then
	echo "compare: $PY cannot import torch and sklearn. Install them with:" >&2
	echo "    sudo apt-get install python3-torch python3-sklearn" >&2
	echo "(or point PYTHON at an interpreter that has them)" >&2
	exit 1
fi

# One thread everywhere on the Python side, BLAS included.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# measure OUT CMD...: runs CMD and writes "wall_seconds cpu_percent max_rss_kb" to OUT.
if [ -x /usr/bin/time ]; then
	measure() {
		local out=$1
		shift
		/usr/bin/time -f '%e %P %M' -o "$out" "$@"
		sed -i 's/%//' "$out"
	}
else
	echo "compare: /usr/bin/time is missing (apt-get install time); measuring with Python's getrusage" >&2
	measure() {
		local out=$1
		shift
		"$PY" - "$out" "$@" <<-'EOF'
			import resource, subprocess, sys, time
			t = time.perf_counter()
			rc = subprocess.call(sys.argv[2:])
			wall = time.perf_counter() - t
			ru = resource.getrusage(resource.RUSAGE_CHILDREN)
			with open(sys.argv[1], "w") as f:
			    print(f"{wall:.2f} {100 * (ru.ru_utime + ru.ru_stime) / wall:.0f} {ru.ru_maxrss}", file=f)
			sys.exit(rc)
		EOF
	}
fi

echo "compare: building bin/albench"
"$GO" build -o bin/albench ./cmd/albench

# PyTorch's settings: from the YAML when PyYAML is there, else the same as flags.
torch_args() {
	if "$PY" -c 'import yaml' 2>/dev/null; then
		echo "--config compare/$1.yaml"
	elif [ "$1" = tutorial ]; then
		echo "" # torch_al.py's defaults are configs/tutorial.yaml's
	else
		echo "--seeds 5 --standardize --batch 10 --budget 100 --dropout 0.1 --optimizer adam --lr 0.01 --epochs 200 --no-warm-start"
	fi
}

table=()
for p in tutorial sound; do
	echo "compare: $p: albench -j 1"
	measure "$tmp/$p.time" bin/albench run -q -j 1 -out "$tmp/$p" "compare/$p.yaml" >/dev/null
	echo "compare: $p: PyTorch"
	# shellcheck disable=SC2046 # torch_args is a word list
	"$PY" compare/torch_al.py $(torch_args "$p") --protocol "$p" >"$tmp/$p.jsonl"
	table+=("$p" "$tmp/$p" "$tmp/$p.jsonl")
done

# Throughput: the sound protocol with 20 seeds (60 jobs), so that the tail of the
# last jobs and the single-threaded report weigh little; the manifest's
# elapsed_seconds times the trials alone. -j 1 and -j 2 alternate three times and
# each keeps its fastest run: on a shared machine the neighbours' load only ever
# slows a run down.
sed "s/^seeds: .*/seeds: 20/" compare/sound.yaml >"$tmp/sound20.yaml"
elapsed() { sed -n 's/.*"elapsed_seconds": *\([0-9.e+-]*\).*/\1/p' "$1/manifest.json"; }
t1=1e9
t2=1e9
for round in 1 2 3; do
	for j in 1 2; do
		echo "compare: sound, 20 seeds: albench -j $j ($round/3)"
		rm -rf "$tmp/sound-j$j"
		measure "$tmp/sound-j$j.time" bin/albench run -q -j $j -out "$tmp/sound-j$j" "$tmp/sound20.yaml" >/dev/null
		e=$(elapsed "$tmp/sound-j$j")
		if [ "$j" = 1 ]; then t1=$(awk -v a="$t1" -v b="$e" 'BEGIN{print (b < a) ? b : a}'); else t2=$(awk -v a="$t2" -v b="$e" 'BEGIN{print (b < a) ? b : a}'); fi
	done
	if ! cmp -s "$tmp/sound-j1/trials.csv" "$tmp/sound-j2/trials.csv"; then
		echo "compare: trials.csv differs between -j 1 and -j 2" >&2
		exit 1
	fi
done

echo "compare: configs/bench.yaml with seeds: $RSS_SEEDS, default -j"
sed "s/^seeds: .*/seeds: $RSS_SEEDS/" configs/bench.yaml >"$tmp/bench.yaml"
measure "$tmp/bench.time" bin/albench run -q -out "$tmp/bench" "$tmp/bench.yaml" >/dev/null

echo
echo "Per trial, single thread ($(getconf _NPROCESSORS_ONLN) CPUs; the machine may be shared, so times are noisy):"
"$PY" compare/summarize.py "${table[@]}"

read -r w1 c1 _ <"$tmp/sound-j1.time"
read -r w2 c2 _ <"$tmp/sound-j2.time"
read -r wb cb rss <"$tmp/bench.time"
echo
awk -v w1="$w1" -v c1="$c1" -v w2="$w2" -v c2="$c2" -v t1="$t1" -v t2="$t2" 'BEGIN {
	printf "Throughput, compare/sound.yaml with 20 seeds (60 jobs), fastest of 3: trials -j 1 %.2f s, -j 2 %.2f s: %.2fx (last whole runs: -j 1 %.2f s at %d%% CPU, -j 2 %.2f s at %d%% CPU)\n", t1, t2, t1 / t2, w1, c1, w2, c2
}'
awk -v rss="$rss" -v wb="$wb" -v cb="$cb" -v seeds="$RSS_SEEDS" 'BEGIN {
	printf "Peak RSS, configs/bench.yaml with %d seeds, default -j: %.1f MiB (%.1f s, %d%% CPU)\n", seeds, rss / 1024, wb, cb
}'

# The SVM: Lu et al.'s loop on heart, german and spambase, albench -j 1 against
# scikit-learn's SVC refit from scratch every round (svm_al.py), on the same splits,
# standardized data and initial sets. SVM_SEEDS=heart:5,german:3,spambase:1 by
# default (scikit-learn needs minutes per spambase trial).
SVM_SEEDS=${SVM_SEEDS:-heart:5,german:3,spambase:1}
echo
echo "compare: svm: albench -j 1 (compare/svm.yaml)"
bin/albench run -q -j 1 -out "$tmp/svm" compare/svm.yaml >/dev/null
echo "compare: svm: scikit-learn ($SVM_SEEDS)"
# shellcheck disable=SC2086 # the dataset:seeds list is split on purpose
"$PY" compare/svm_al.py bin/albench compare/svm.yaml "$tmp/svm" ${SVM_SEEDS//,/ } >"$tmp/svm.jsonl"
echo "Lu et al.'s loop, RBF SVC (gamma auto, C 1) retrained after every query, single thread:"
"$PY" compare/svm_summary.py "$tmp/svm" <"$tmp/svm.jsonl"

# Lu et al. parity: scikit-learn replays albench's trials (compare/lu2023).
if [ -f compare/lu2023/parity.py ]; then
	echo
	echo "compare: Lu et al. parity (compare/lu2023/parity.py)"
	"$PY" compare/lu2023/parity.py --albench bin/albench
fi

#!/usr/bin/env bash
# make compare-large: albench side by side with PyTorch float32 on a 70,000-row pool
# (compare/large.yaml: make_classification 100,000 × 20, the sound protocol, every
# strategy torch_al.py implements, 3 seeds), single-threaded; then, if OLD_ALBENCH
# names another albench binary, the whole run against it. About five minutes on an
# idle core (more with OLD_ALBENCH); not part of make test.
#
#   1. REPEATS (default 2) alternating rounds of `albench run -j 1` and
#      `torch_al.py --dtype float32` (torch.set_num_threads(1), OMP_NUM_THREADS=1)
#      on compare/large.yaml. Per strategy (compare/large_summary.py): ms per
#      trial (train + evaluate + query, as make compare), query ms per trial, the
#      ratio, each side fastest of its runs with the slowest beside it, and the
#      mean final accuracies (different draws of the same data: similar, not equal).
#   2. The whole `albench run -j 1` of compare/large.yaml (skyline included):
#      wall and CPU seconds (user + system) of bin/albench, and with
#      OLD_ALBENCH=path of that binary too, alternating OLD_REPEATS (default 2)
#      times, fastest wall of each.
#
# Environment: PYTHON (default /usr/bin/python3), GO (default go), ALBENCH (default:
# bin/albench, built here), KERNEL (passed to ALBENCH as -kernel, e.g. avx2-fma-f32;
# default: albench's default), OLD_ALBENCH, REPEATS, OLD_REPEATS, SEEDS (overrides
# the config's 3).
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-/usr/bin/python3}
GO=${GO:-go}
REPEATS=${REPEATS:-2}
OLD_REPEATS=${OLD_REPEATS:-2}

if ! "$PY" -c 'import torch, sklearn, yaml' 2>/dev/null; then
	echo "compare-large: $PY cannot import torch, sklearn and yaml. Install them with:" >&2
	echo "    sudo apt-get install python3-torch python3-sklearn python3-yaml" >&2
	exit 1
fi
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cfg=compare/large.yaml
if [ -n "${SEEDS:-}" ]; then
	sed "s/^seeds: .*/seeds: $SEEDS/" "$cfg" >"$tmp/large.yaml"
	cfg=$tmp/large.yaml
fi

kflag=()
if [ -n "${KERNEL:-}" ]; then
	kflag=(-kernel "$KERNEL")
fi

if [ -z "${ALBENCH:-}" ]; then
	echo "compare-large: building bin/albench"
	"$GO" build -o bin/albench ./cmd/albench
	ALBENCH=bin/albench
fi

# whole OUT BIN [FLAG...]: one whole `BIN run -j 1` of the config; writes "wall user system" to OUT.
whole() {
	local out=$1 bin=$2
	shift 2
	rm -rf "$tmp/run"
	/usr/bin/time -f '%e %U %S' -o "$out" "$bin" run -q -j 1 "$@" -out "$tmp/run" "$cfg" >/dev/null
}

adirs=()
tfiles=()
for r in $(seq "$REPEATS"); do
	echo "compare-large: albench -j 1 ($r/$REPEATS)"
	/usr/bin/time -f '%e %U %S' -o "$tmp/a$r.time" "$ALBENCH" run -q -j 1 "${kflag[@]}" -out "$tmp/a$r" "$cfg" >/dev/null
	adirs+=("$tmp/a$r")
	echo "compare-large: PyTorch float32 ($r/$REPEATS)"
	"$PY" compare/torch_al.py --config "$cfg" --dtype float32 --protocol large >"$tmp/t$r.jsonl"
	tfiles+=("$tmp/t$r.jsonl")
done

echo
echo "Per trial on a 70,000-row pool, single thread, albench kernel ${KERNEL:-$("$ALBENCH" version | sed 's/.*kernel //')}, PyTorch float32 ($(getconf _NPROCESSORS_ONLN) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)):"
"$PY" compare/large_summary.py --albench "${adirs[@]}" --torch "${tfiles[@]}"

best() { sort -n -k1,1 "$@" | head -1; }
echo
printf 'Whole run of %s -j 1 (skyline included), fastest of %s: ' "$ALBENCH" "$REPEATS"
cat "$tmp"/a*.time | best | awk '{printf "%.2f s wall, %.2f s CPU\n", $1, $2 + $3}'

if [ -n "${OLD_ALBENCH:-}" ]; then
	: >"$tmp/old.all"
	: >"$tmp/new.all"
	for r in $(seq "$OLD_REPEATS"); do
		for side in old new; do
			echo "compare-large: whole run, $side ($r/$OLD_REPEATS)"
			if [ "$side" = old ]; then
				whole "$tmp/w.time" "$OLD_ALBENCH"
			else
				whole "$tmp/w.time" "$ALBENCH" "${kflag[@]}"
			fi
			cat "$tmp/w.time" >>"$tmp/$side.all"
		done
	done
	echo "Whole run -j 1, alternating, fastest wall of $OLD_REPEATS each (every run: wall user system):"
	for side in old new; do
		printf '  %s: ' "$side"
		best "$tmp/$side.all" | awk '{printf "%.2f s wall, %.2f s CPU", $1, $2 + $3}'
		printf '   [%s]\n' "$(tr '\n' ';' <"$tmp/$side.all")"
	done
	paste <(best "$tmp/old.all") <(best "$tmp/new.all") |
		awk '{printf "  old ÷ new: %.2fx wall, %.2fx CPU\n", $1 / $4, ($2 + $3) / ($5 + $6)}'
fi

#!/usr/bin/env bash
# The GPU check, run on a machine with an NVIDIA GPU from a bundle made by scripts/gpu-bundle.sh
# (README, Running on a GPU): everything the CUDA engine must show there, as one table at the end.
#   bash gpu-check.sh [OUT]      (OUT: where the outputs go; default /tmp/gpu-check)
set -u
B=$(cd "$(dirname "$0")" && pwd)
OUT=${1:-/tmp/gpu-check}
mkdir -p "$OUT"
summary=()
row() { summary+=("$(printf '%-44s %s' "$1" "$2")"); }

# The driver's library may sit outside the loader's default paths (a container's /usr/local/nvidia).
if ! ldconfig -p 2>/dev/null | grep -q 'libcuda\.so\.1'; then
  lib=$(find /usr/local/nvidia /usr/lib /usr/lib64 /usr/local/cuda -name 'libcuda.so.1' 2>/dev/null | head -n 1)
  [ -n "$lib" ] && export LD_LIBRARY_PATH="$(dirname "$lib")${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
fi
echo "libcuda.so.1: $(ldconfig -p 2>/dev/null | grep -m1 'libcuda\.so\.1' || echo "via LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-}")"
run() { timeout 180 "$B/run.sh" "$@"; }

echo "== the machine"
nvidia-smi --query-gpu=name,driver_version,compute_cap,memory.total,clocks.max.sm --format=csv 2>&1 | tee "$OUT/nvidia-smi.csv"
gpu=$(nvidia-smi --query-gpu=name,driver_version,compute_cap --format=csv,noheader 2>/dev/null | head -n 1)
row "nvidia-smi: name, driver, compute capability" "$gpu"
echo "java: $("$B/jre/bin/java" -version 2>&1 | head -n 1); system java: $(command -v java || echo none)"

echo "== the decision table for this GPU (what -Pcuda would run)"
run info | tee "$OUT/info.txt"

echo "== TensorFlow's recorded runs replayed (100 steps each)"
run parity --engine cuda --recordings recordings | tee "$OUT/parity.txt"
status=${PIPESTATUS[0]}
row "replay vs TF, 4 scenarios (1e-5 params)" "$([ "$status" = 0 ] && echo PASS || echo FAIL) (see parity.txt)"

echo "== the seed's job, seeds 1-3, on the GPU"
for seed in 1 2 3; do
  start=$(date +%s.%N)
  run job --engine cuda --seed $seed > "$OUT/cuda-seed-$seed.txt" 2> "$OUT/cuda-seed-$seed.log"
  end=$(date +%s.%N)
  wall=$(awk "BEGIN { printf \"%.2f\", $end - $start }")
  best=$(tail -n 1 "$OUT/cuda-seed-$seed.txt")
  timing=$(grep '^timing:' "$OUT/cuda-seed-$seed.log" | sed 's/.*training and evaluation \([0-9.]*\) s (\([0-9]*\) steps\/s), in GPU launches \([0-9.]*\) s.*/loop \1 s, \2 steps\/s, launches \3 s/')
  same=$(cmp -s "$OUT/cuda-seed-$seed.txt" "$B/expected/kernel-seed-$seed.txt" && echo "same lines as the CPU kernel" || echo "lines differ from the CPU kernel")
  row "job seed $seed" "$best; $timing; with JVM start ${wall} s; $same"
  tail -n 2 "$OUT/cuda-seed-$seed.log"
done

echo "== many runs in one launch, each equal to the same run alone and to the CPU kernel"
run multirun --runs 8 --steps 3000 2>&1 | tee "$OUT/multirun.txt"
status=${PIPESTATUS[0]}
row "multirun: 8 runs in one launch = alone" "$([ "$status" = 0 ] && echo PASS || echo FAIL) (see multirun.txt)"

echo "== the study: 4 configs x 100 seeds, each config's seeds in one launch per epoch"
run study --engine cuda --seeds 100 > "$OUT/study-cuda.csv" 2> "$OUT/study-cuda.log"
grep '^timing' "$OUT/study-cuda.log"
if [ -f "$B/expected/study-kernel.csv" ]; then
  same=$(comm -12 <(sort "$OUT/study-cuda.csv") <(sort "$B/expected/study-kernel.csv") | grep -vc '^config')
  row "study: 400 runs on the GPU" "$(grep 'whole study' "$OUT/study-cuda.log" | sed 's/timing: //'); $same of 400 runs equal the CPU study's best and final"
else
  row "study: 400 runs on the GPU" "$(grep 'whole study' "$OUT/study-cuda.log" | sed 's/timing: //') (no CPU study in the bundle to compare)"
fi

echo "== throughput of many runs per launch: one per SM, the seed's 150,000 steps each"
run multirun --runs 132 --steps 150000 --compare false 2>&1 | tee "$OUT/multirun-132.txt"
row "132 runs x 150,000 steps, one launch" "$(grep 'in one launch' "$OUT/multirun-132.txt" | sed 's/timing: //')"

echo "== steps per second"
for threads in 1024 512 256; do
  MNISTXENT_JAVA_OPTS="-Dmnistxent.cuda.threads=$threads" run bench --engine cuda 2>&1 | tee "$OUT/bench-cuda-$threads.txt"
  row "bench cuda, $threads threads per block" "$(grep 'engine:' "$OUT/bench-cuda-$threads.txt")"
done
run bench --engine kernel 2>&1 | tee "$OUT/bench-kernel.txt"
row "bench kernel (this machine's CPU)" "$(grep 'engine:' "$OUT/bench-kernel.txt")"

echo
echo "== summary"
printf '%s\n' "${summary[@]}" | tee "$OUT/summary.txt"
for f in "$OUT"/*.txt "$OUT"/*.log "$OUT"/*.csv; do echo "### $(basename "$f")"; cat "$f"; done > "$OUT.all.txt"

#!/usr/bin/env bash
# Assembles the portable GPU check (README, Running on a GPU): a self-contained folder (and a .tgz of it), under
# 60 MB, that runs the CUDA and kernel engines on a machine with only an NVIDIA driver: no Java, Maven, DL4J
# or network.
#
#   scripts/gpu-bundle.sh [OUT]          (default OUT: target/gpu-bundle)
#
# It holds a jlinked JRE, the project's classes with the few jars the engines need (JNA, SnakeYAML, SLF4J,
# Logback), MNIST gzipped, TensorFlow's recorded runs (from ReplayTfParityTest, run here if missing) and the
# CPU kernel's output for seeds 1-3 (computed with the bundle itself: that run proves it self-contained).
# The JRE is linked from $BUNDLE_JDK (default: the JDK of the java on PATH); a JDK built against an old glibc
# (Temurin's) makes the bundle run on older Linux distributions too.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/gpu-bundle}
JDK=${BUNDLE_JDK:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}
DATA=${MNIST_XENT_DATA:-$HOME/.cache/mnist-xent/mnist}

echo "building the classes and resolving the jars ..."
mvn -B -q -DskipTests compile
mvn -B -q dependency:build-classpath -Dmdep.outputFile=target/runtime.classpath >/dev/null
if [ ! -d target/tf-recordings ]; then
  echo "recording TensorFlow's runs (ReplayTfParityTest) ..."
  mvn -B -q test -Dtest=ReplayTfParityTest -Dsurefire.failIfNoSpecifiedTests=false
fi
mvn -B -q exec:java -Dexec.args="data fetch --data-dir $DATA" >/dev/null

rm -rf "$OUT"
mkdir -p "$OUT/lib" "$OUT/mnist" "$OUT/expected"
jar --create --file "$OUT/lib/mnist-xent.jar" -C target/classes .
for want in jna-4 snakeyaml slf4j-api logback-classic logback-core; do
  jar=$(tr ':' '\n' < target/runtime.classpath | grep "/$want[^/]*\.jar$" | head -n 1)
  [ -n "$jar" ] || { echo "no $want jar on the runtime classpath" >&2; exit 1; }
  cp "$jar" "$OUT/lib/"
done
for f in train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte; do
  if [ -f "$DATA/$f.gz" ]; then cp "$DATA/$f.gz" "$OUT/mnist/"; else gzip -9 -c "$DATA/$f" > "$OUT/mnist/$f.gz"; fi
done
cp -r config "$OUT/config"
cp -r target/tf-recordings "$OUT/recordings"
cp scripts/gpu-check.sh "$OUT/gpu-check.sh"
# the CPU study's per-run results (docs/ablation-runs.csv), for the GPU's study to be compared with run for run
awk -F, 'NR == 1 { print "config,seed,best_correct,final_correct"; next } { print $1 "," $2 "," $4 "," $6 }' \
  docs/ablation-runs.csv > "$OUT/expected/study-kernel.csv"

echo "linking a JRE from $JDK ..."
"$JDK/bin/jlink" --add-modules java.base,java.logging,java.naming,java.xml,jdk.incubator.vector,jdk.unsupported \
  --strip-debug --no-man-pages --no-header-files --compress=zip-9 --output "$OUT/jre" 2>/dev/null \
  || "$JDK/bin/jlink" --add-modules java.base,java.logging,java.naming,java.xml,jdk.incubator.vector,jdk.unsupported \
       --strip-debug --no-man-pages --no-header-files --compress=2 --output "$OUT/jre"

# the JVM's own debug symbols are most of its size (29 MB of Temurin's libjvm.so; 24 MB stripped)
if command -v strip >/dev/null; then strip --strip-unneeded "$OUT/jre/lib/server/libjvm.so"; fi

cat > "$OUT/run.sh" <<'RUN'
#!/usr/bin/env bash
# The portable engines: run.sh info | job | replay | parity | bench | multirun [--option value ...]
B=$(cd "$(dirname "$0")" && pwd)
cd "$B"
MNISTXENT_JAVA_OPTS=${MNISTXENT_JAVA_OPTS:-}
exec "$B/jre/bin/java" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Xmx4g $MNISTXENT_JAVA_OPTS \
  -cp "$B/lib/*" mnistxent.portable.Portable "$@"
RUN
chmod +x "$OUT/run.sh" "$OUT/gpu-check.sh"

echo "the CPU half, here, with nothing but the bundle: the kernel engine on seeds 1-3, and TF's recordings ..."
for seed in 1 2 3; do
  "$OUT/run.sh" job --engine kernel --seed $seed > "$OUT/expected/kernel-seed-$seed.txt" 2> "$OUT/expected/kernel-seed-$seed.log"
  tail -n 1 "$OUT/expected/kernel-seed-$seed.txt"
done
"$OUT/run.sh" parity --engine kernel --recordings recordings
tar -C "$(dirname "$OUT")" -czf "$OUT.tgz" "$(basename "$OUT")"
echo "bundle: $OUT ($(du -sh "$OUT" | cut -f1)), and as one file $OUT.tgz ($(du -sh "$OUT.tgz" | cut -f1))"

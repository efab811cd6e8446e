# Shared by the scripts in this folder: find JDK 25+, run Maven with it.
# shellcheck shell=bash

UFFDGC_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Prints the major version of the JDK at $1, or nothing.
jdk_major() {
  local v
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  echo "${v%%.*}"
}

# Sets JAVA_HOME to a JDK 25 or newer: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
find_jdk() {
  local need=25 best="" best_major=0 d m
  if [ -n "${JAVA_HOME:-}" ]; then
    m=$(jdk_major "$JAVA_HOME")
    if [ -n "$m" ] && [ "$m" -ge "$need" ]; then export JAVA_HOME; export PATH="$JAVA_HOME/bin:$PATH"; return 0; fi
  fi
  for d in /usr/lib/jvm/*; do
    [ -d "$d" ] && [ ! -L "$d" ] || continue
    m=$(jdk_major "$d")
    if [ -n "$m" ] && [ "$m" -ge "$need" ] && [ "$m" -gt "$best_major" ]; then best="$d"; best_major="$m"; fi
  done
  if [ -z "$best" ]; then
    echo "uffdgc: no JDK $need or newer found (JAVA_HOME=${JAVA_HOME:-unset}, none under /usr/lib/jvm); install one, e.g. Temurin 25" >&2
    exit 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

need_tools() {
  local t
  for t in mvn gcc make; do
    command -v "$t" >/dev/null 2>&1 || { echo "uffdgc: '$t' is not installed (needed to build); install it, e.g. apt-get install maven gcc make" >&2; exit 1; }
  done
}

mvn_run() {
  # Maven's own guava uses sun.misc.Unsafe; allow it so JDK 25 prints no warning.
  # Maven 3.8's Jansi writes a colour reset (ESC[0m) around every run, even in batch mode
  # and with colour off; jansi.noreset stops it, style.color=never keeps the rest plain.
  (cd "$UFFDGC_ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow -Djansi.noreset=true" \
    mvn -B -ntp -Dstyle.color=never "$@")
}

# Builds the benchmarks module and the modules it needs (tests skipped) and sets BENCH_CP to
# its classpath: its classes, the jars this tree's reactor built, the third-party jars.
# The build is reused while no input (a pom, anything under a module's src/, this file) is
# newer than the stamp of the last good build and every classpath entry still exists.
# Maven's output goes to benchmarks/target/build.log; it is shown only if the build fails.
build_benchmarks() {
  local target="$UFFDGC_ROOT/benchmarks/target"
  local stamp="$target/build.stamp" cp_file="$target/classpath.txt" log="$target/build.log"
  if [ -f "$stamp" ] && [ -f "$cp_file" ] && [ -d "$target/classes" ] && classpath_present "$cp_file" &&
     [ -z "$(find "$UFFDGC_ROOT"/pom.xml "$UFFDGC_ROOT"/*/pom.xml "$UFFDGC_ROOT"/*/src "$UFFDGC_ROOT/scripts/lib.sh" \
              -newer "$stamp" -print -quit)" ]; then
    BENCH_CP="$target/classes:$(cat "$cp_file")"
    return 0
  fi
  echo "uffdgc: building (log: ${log#"$UFFDGC_ROOT"/})" >&2
  # Stamped with the time the build started, so an edit made while it runs is seen next time.
  mkdir -p "$target" && touch "$stamp.new"
  # In one reactor run, the classpath names this tree's module jars, not ~/.m2's copies
  # (which another checkout's install may have replaced); each module writes its own file.
  if ! mvn_run package -Dmaven.test.skip=true -pl benchmarks -am \
       dependency:build-classpath -Dmdep.outputFile=target/classpath.txt > "$log" 2>&1; then
    rm -f "$stamp.new"
    echo "uffdgc: the build failed; the end of its output follows ([INFO] lines and stack frames left out; all of it: ${log#"$UFFDGC_ROOT"/})" >&2
    grep -v -e '^\[INFO\]' -e '^[[:space:]]*at ' "$log" | tail -n 60 >&2
    exit 1
  fi
  mv "$stamp.new" "$stamp"
  BENCH_CP="$target/classes:$(cat "$cp_file")"
}

# True when every entry of the classpath file $1 exists.
classpath_present() {
  local entry entries
  IFS=: read -r -a entries < "$1" || true  # the file has no final newline
  for entry in "${entries[@]}"; do [ -e "$entry" ] || return 1; done
}

# JVM flags every uffdgc JVM gets (kept in step with uffdgc.jvmFlags in pom.xml).
UFFDGC_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

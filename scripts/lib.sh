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
  (cd "$UFFDGC_ROOT" && MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" mvn -B -ntp "$@")
}

# JVM flags every uffdgc JVM gets (kept in step with uffdgc.jvmFlags in pom.xml).
UFFDGC_JVM_FLAGS=(--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow)

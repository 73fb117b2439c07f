# Sourced by bin/* scripts: sets JAVA_HOME to a JDK >= 25 and exports it.
# JAVA_HOME wins when it already is one; else the newest under /usr/lib/jvm.
_mwan4_java_major() {
  local v
  v=$("$1/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}')
  echo "${v%%.*}"
}
_mwan4_find_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(_mwan4_java_major "$JAVA_HOME")" -ge 25 ] 2>/dev/null; then
    echo "$JAVA_HOME"; return 0
  fi
  local best="" best_v=0 d v
  for d in /usr/lib/jvm/*/; do
    d=${d%/}
    [ -x "$d/bin/javac" ] || continue
    v=$(_mwan4_java_major "$d") || continue
    [ -n "$v" ] && [ "$v" -ge 25 ] 2>/dev/null && [ "$v" -gt "$best_v" ] && { best=$d; best_v=$v; }
  done
  [ -n "$best" ] && { echo "$best"; return 0; }
  return 1
}
if ! MWAN4_JDK=$(_mwan4_find_jdk); then
  echo "mwan4: no JDK >= 25 found (JAVA_HOME=${JAVA_HOME:-unset}, nothing suitable under /usr/lib/jvm)." >&2
  echo "mwan4: install one (e.g. Temurin 25) or point JAVA_HOME at it." >&2
  exit 1
fi
export JAVA_HOME=$MWAN4_JDK
export PATH="$JAVA_HOME/bin:$PATH"

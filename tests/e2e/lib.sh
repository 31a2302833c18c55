# lib.sh: sourced by each end-to-end test script. Each check prints "ok" or "not ok"
# with its name; finish prints the E2E-SUMMARY line tests/run counts.
#   run CMD...          runs CMD, keeps stdout in $OUT, stderr in $ERR, status in $RC
#   expect_rc N NAME    the last run exited N
#   expect_out TEXT NAME / expect_err TEXT NAME / expect_no_out TEXT NAME
#   check NAME CMD...   passes when CMD succeeds
set -u
: "${SLUICE:=$(pwd)/build/sluice}"
: "${BUILD:=$(pwd)/build}"
E2E_PASSED=0; E2E_FAILED=0
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
SHARED=$(cd "$(dirname "$0")/../.." && cd .. && pwd)/shared

pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "ok - $1"; }
fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "not ok - $1"; [ -n "${2:-}" ] && printf '%s\n' "$2" | sed 's/^/    /' | head -40; }

run() {
    "$@" >"$TMP/out" 2>"$TMP/err"; RC=$?
    OUT=$(cat "$TMP/out"); ERR=$(cat "$TMP/err")
}
expect_rc() { [ "$RC" -eq "$1" ] && pass "$2" || fail "$2" "exit $RC, wanted $1; stderr: $ERR"; }
expect_out() { case "$OUT" in *"$1"*) pass "$2" ;; *) fail "$2" "stdout lacks: $1
--- stdout:
$OUT" ;; esac; }
expect_no_out() { case "$OUT" in *"$1"*) fail "$2" "stdout has: $1" ;; *) pass "$2" ;; esac; }
expect_err() { case "$ERR" in *"$1"*) pass "$2" ;; *) fail "$2" "stderr lacks: $1
--- stderr:
$ERR" ;; esac; }
check() { name=$1; shift; if "$@" >/dev/null 2>&1; then pass "$name"; else fail "$name" "command failed: $*"; fi; }
finish() { echo "E2E-SUMMARY passed=$E2E_PASSED failed=$E2E_FAILED"; [ "$E2E_FAILED" -eq 0 ]; }

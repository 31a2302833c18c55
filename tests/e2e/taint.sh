# taint.sh: `sluice scan` with the firmware pack (rules/c/firmware.yml) over the
# seed-004 example: the BUG lines found inside single functions with their paths in
# JSON (extra.dataflow_trace), text and SARIF; the OK lines quiet; and the taint CLI
# option checked.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FW="$SHARED/examples/firmware"

run "$SLUICE" scan -q --taint-depth 0 "$FW"
expect_rc 2 "--taint-depth 0 is a usage error"

run "$SLUICE" scan -q --json --config "$ROOT/rules/c/firmware.yml" "$FW"
expect_rc 0 "the firmware pack scans"
lines=$(printf '%s' "$OUT" | python3 -c 'import json,sys; d=json.load(sys.stdin); print(" ".join(sorted({"%s:%d" % (r["path"].split("/")[-1], r["start"]["line"]) for r in d["results"]})))')
case " $lines " in *" handlers.c:23 "*) pass "SetEntry's index" ;;
*) fail "SetEntry's index" "got: $lines" ;; esac
case " $lines " in *" handlers.c:42 "*) pass "GetPrevious's index - 2" ;;
*) fail "GetPrevious's index - 2" "got: $lines" ;; esac
for ok in 15 32 62 63; do
    case " $lines " in *" handlers.c:$ok "*) fail "line $ok quiet" "line $ok is an OK line" ;;
    *) pass "line $ok quiet" ;; esac
done
expect_out '"dataflow_trace"' "JSON findings carry dataflow_trace"
expect_out '"taint_source"' "the trace names its source"
run "$SLUICE" scan -q --config "$ROOT/rules/c/firmware.yml" "$FW"
expect_out "taint path" "text shows the taint path"
run "$SLUICE" scan -q --sarif --config "$ROOT/rules/c/firmware.yml" "$FW"
expect_out "threadFlows" "SARIF has codeFlows/threadFlows"

# --intraprocedural: the per-function engine alone gives the same lines on the
# single-function taint tests, and says that entry-points sources need the program stage.
lines_of() { python3 -c "import json,sys; print(' '.join(str(l) for l in sorted(set(r['start']['line'] for r in json.load(sys.stdin)['results']))))"; }
for t in c-taint.c python-taint.py java-taint.java; do
    yml="$ROOT/rules/taint-tests/${t%.*}.yml"
    whole=$("$SLUICE" scan -q --json --config "$yml" "$ROOT/rules/taint-tests/$t" | lines_of)
    intra=$("$SLUICE" scan -q --json --intraprocedural --config "$yml" "$ROOT/rules/taint-tests/$t" | lines_of)
    [ -n "$intra" ] && [ "$whole" = "$intra" ] && pass "--intraprocedural agrees on $t" \
        || fail "--intraprocedural agrees on $t" "program: $whole; intraprocedural: $intra"
done
run "$SLUICE" scan -q --intraprocedural --config "$ROOT/rules/c/firmware.yml" "$FW"
expect_rc 0 "--intraprocedural with entry points still exits 0"
expect_err "entry-points sources need the program stage" "--intraprocedural warns that entry points are not followed"
finish

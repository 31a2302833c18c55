# interproc.sh: the program stage end to end: the firmware pack on seed 004's firmware
# reports exactly the lines marked BUG (read from the sources, not written here), each
# with its whole path; the same bytes for -j1 and -j2; summaries emitted while
# scanning one directory and loaded while scanning another give the findings of
# scanning both; --time prints each phase.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
FW="$SHARED/examples/firmware"
PACK="$ROOT/rules/c/firmware.yml"

# ---------------------------------------------------------------- the firmware acceptance
if [ -d "$FW" ]; then
    run "$SLUICE" scan --json -q --config "$PACK" "$FW"
    expect_rc 0 "firmware: scan succeeds"
    printf '%s' "$OUT" > "$TMP/fw.json"
    python3 - "$TMP/fw.json" > "$TMP/got" <<'PY'
import json, os, sys
r = json.load(open(sys.argv[1]))
for x in sorted({(os.path.basename(f["path"]), f["start"]["line"]) for f in r["results"]}):
    print("%s:%d" % x)
PY
    (cd "$FW" && grep -n '/\* BUG:' *.c | cut -d: -f1,2 | sort -u) > "$TMP/want"
    check "firmware: the lines marked BUG are in the sources" test -s "$TMP/want"
    if diff "$TMP/want" "$TMP/got" > "$TMP/diff"; then pass "firmware: exactly the BUG lines, none marked OK"
    else fail "firmware: exactly the BUG lines, none marked OK" "$(cat "$TMP/diff")"; fi
    run "$SLUICE" scan -q --config "$PACK" "$FW"
    expect_out "copy_payload(g_blob, pMsgReq->data, pMsgReq->hdr.len)  (call copy_payload)" \
        "firmware: CopyBlob's path goes through the call to copy_payload"
    expect_out "int n  (parameter n of copy_payload)" "firmware: ...and into copy_payload's parameter"
    expect_out "(strncpy taints g_fileName)" "firmware: ReadFile's path starts where SetFileName stores the name"
    expect_out "(snprintf taints path)" "firmware: ...and goes through ReadFile's snprintf"

    # ---------------------------------------------------------------- determinism
    "$SLUICE" scan --json -q -j1 --config "$PACK" "$FW" > "$TMP/j1.json" 2>/dev/null
    "$SLUICE" scan --json -q -j2 --config "$PACK" "$FW" > "$TMP/j2.json" 2>/dev/null
    check "firmware: -j1 and -j2 give the same bytes" cmp "$TMP/j1.json" "$TMP/j2.json"
    "$SLUICE" scan -q -j1 --emit-summaries "$TMP/s1.jsonl" --config "$PACK" "$FW" > /dev/null 2>&1
    "$SLUICE" scan -q -j2 --emit-summaries "$TMP/s2.jsonl" --config "$PACK" "$FW" > /dev/null 2>&1
    check "firmware: -j1 and -j2 emit the same summaries" cmp "$TMP/s1.jsonl" "$TMP/s2.jsonl"
    check "firmware: copy_payload's summary: P2 reaches the size sink" \
        grep -q '"signature":"c:copy_payload/3","rule":"firmware-unchecked-size","from":"P2"' "$TMP/s1.jsonl"
else
    echo "# skipped: $FW is missing"
fi

# ---------------------------------------------------------------- round trip
mkdir -p "$TMP/rt/lib" "$TMP/rt/app" "$TMP/both"
cat > "$TMP/rt/rules.yml" <<'YAML'
rules:
  - id: rt-cmd
    message: input reaches run_command
    severity: ERROR
    languages: [c]
    mode: taint
    pattern-sources:
      - pattern: read_input()
    pattern-sanitizers:
      - pattern: escape_shell(...)
    pattern-sinks:
      - patterns:
          - pattern: run_command($X)
          - focus-metavariable: $X
YAML
cat > "$TMP/rt/lib/lib.c" <<'C'
struct job { const char *name; int flags; };
void exec_it(const char *c) {
    run_command(c);
}
void run_name(struct job *j) { exec_it(j->name); }
const char *echo(const char *s) { return s; }
const char *clean(const char *s) { return escape_shell(s); }
void set_name(struct job *j, const char *n) { j->name = n; }
const char *fetch(void) { return read_input(); }
C
cat > "$TMP/rt/app/app.c" <<'C'
struct job { const char *name; int flags; };
void a(void) { exec_it(read_input()); }
void b(void) { run_command(echo(read_input())); }
void c(void) { run_command(clean(read_input())); }
void d(void) { struct job j; set_name(&j, read_input()); run_name(&j); }
void e(void) { run_command(fetch()); }
C
cp "$TMP/rt/lib/lib.c" "$TMP/rt/app/app.c" "$TMP/both/"
(cd "$TMP/rt" && "$SLUICE" scan -q --json --emit-summaries "$TMP/lib.jsonl" --config rules.yml lib > "$TMP/lib.json" 2>&1)
check "round trip: summaries written" test -s "$TMP/lib.jsonl"
(cd "$TMP/rt" && "$SLUICE" scan -q --json --summaries "$TMP/lib.jsonl" --config rules.yml app > "$TMP/app.json" 2>"$TMP/app.err")
(cd "$TMP/rt" && mkdir -p x && cp lib/lib.c x/lib.c && cp app/app.c x/app.c &&
    "$SLUICE" scan -q --json --config rules.yml x > "$TMP/x.json" 2>&1)
python3 - "$TMP/app.json" "$TMP/x.json" > "$TMP/rt.out" <<'PY'
import json, sys
def key(path):
    r = json.load(open(path))
    out = []
    for f in r["results"]:
        out.append((f["check_id"], f["path"].split("/")[-1], f["start"]["line"], f["start"]["col"],
                    f["extra"]["message"], len(f["extra"].get("dataflow_trace", {}).get("intermediate_vars", []))))
    return sorted(out)
a, b = key(sys.argv[1]), key(sys.argv[2])
print("loaded:", a)
print("together:", b)
print("same" if a == b and a else "different")
PY
if grep -qx same "$TMP/rt.out"; then pass "round trip: loaded summaries give the findings of scanning both"
else fail "round trip: loaded summaries give the findings of scanning both" "$(cat "$TMP/rt.out" "$TMP/app.err")"; fi
check "round trip: four flows (a, b, d through fields, e from a source model; c sanitized)" \
    test "$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["results"]))' "$TMP/app.json")" = 4
# ---------------------------------------------------------------- references between summaries
# A chain of five functions: five lines, each with only its own steps and a "call"
# step naming the next function's tuple; loading them rebuilds the whole path.
mkdir -p "$TMP/ch/lib" "$TMP/ch/app" "$TMP/ch/x"
cat > "$TMP/ch/lib/chain.c" <<'C'
void f5(const char *s) {
    const char *t = s;
    run_command(t);
}
void f4(const char *s) { f5(s); }
void f3(const char *s) { f4(s); }
void f2(const char *s) { f3(s); }
void f1(const char *s) { f2(s); }
C
cat > "$TMP/ch/app/main.c" <<'C'
void start(void) {
    const char *in = read_input();
    f1(in);
}
C
cp "$TMP/ch/lib/chain.c" "$TMP/ch/app/main.c" "$TMP/ch/x/"
cp "$TMP/rt/rules.yml" "$TMP/ch/"
(cd "$TMP/ch" && "$SLUICE" scan -q --emit-summaries chain.jsonl --config rules.yml lib > /dev/null 2>&1)
python3 - "$TMP/ch/chain.jsonl" > "$TMP/ch.out" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
own_lines = {"c:f5/1": {1, 2, 3}, "c:f4/1": {5}, "c:f3/1": {6}, "c:f2/1": {7}, "c:f1/1": {8}}
calls_to = {"c:f5/1": [], "c:f4/1": ["c:f5/1"], "c:f3/1": ["c:f4/1"], "c:f2/1": ["c:f3/1"], "c:f1/1": ["c:f2/1"]}
ok = sorted(l["signature"] for l in lines) == sorted(own_lines)
for l in lines:
    own = [s for s in l["steps"] if s["kind"] != "call"]
    calls = [s for s in l["steps"] if s["kind"] == "call"]
    ok &= all(s["start"]["line"] in own_lines[l["signature"]] for s in own)
    ok &= [c["signature"] for c in calls] == calls_to[l["signature"]]
    ok &= all(c["from"] == "P0" and c["to"] == "sink" for c in calls)
print("ok" if ok else "bad: %s" % lines)
PY
check "references: a chain of five functions emits five lines, each with its own steps and a call to the next" \
    grep -qx ok "$TMP/ch.out"
(cd "$TMP/ch" && "$SLUICE" scan -q --summaries chain.jsonl --config rules.yml app | sed -n '/taint path/,$p' \
    | sed 's#\(app\|lib\|x\)/#D/#g' | grep -v scanned > loaded.txt)
(cd "$TMP/ch" && "$SLUICE" scan -q --config rules.yml x | sed -n '/taint path/,$p' \
    | sed 's#\(app\|lib\|x\)/#D/#g' | grep -v scanned > together.txt)
check "references: the path rebuilt from the lines is the path of scanning together" \
    cmp "$TMP/ch/loaded.txt" "$TMP/ch/together.txt"
check "references: ...through all five functions" grep -q "parameter s of f5" "$TMP/ch/loaded.txt"
check "references: ...with each function's steps" test "$(grep -c 'call f' "$TMP/ch/loaded.txt")" = 5

printf '{"signature": 3}\n' > "$TMP/bad.jsonl"
run "$SLUICE" scan -q --summaries "$TMP/bad.jsonl" --config "$TMP/rt/rules.yml" "$TMP/rt/app"
expect_rc 2 "a malformed summaries file is an error (exit 2)"
expect_err "line 1 is not a summary" "...naming the line"

# ---------------------------------------------------------------- --time
run "$SLUICE" scan -q --time --config "$TMP/rt/rules.yml" "$TMP/rt/app"
expect_err "call graph" "--time prints the call graph phase"
expect_err "summaries (" "--time prints the summaries phase with its rounds"
expect_err "peak RSS" "--time prints peak memory"
finish

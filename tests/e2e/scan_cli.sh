# scan_cli.sh: the command line of `sluice scan` and `sluice dump-ast`: help, version,
# exit codes, output formats, determinism across -j, and bad input that must cost no
# other file's result.
. "$(dirname "$0")/lib.sh"

# A JSON field check: jq-free, with Python's json module.
json() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# ---------------------------------------------------------------- help and version
run "$SLUICE" --version
expect_rc 0 "--version exits 0"
expect_out "sluice " "--version prints the name and version"
run "$SLUICE" --help
expect_rc 0 "--help exits 0"
expect_out "scan" "--help lists scan"
run "$SLUICE" scan --help
expect_out "--max-target-bytes" "scan --help lists its options"
run "$SLUICE" dump-ast --help
expect_rc 0 "dump-ast --help exits 0"
run "$SLUICE" frobnicate
expect_rc 2 "an unknown command exits 2"
expect_err "unknown command 'frobnicate'" "an unknown command is named"
run "$SLUICE" scan --no-such-flag .
expect_rc 2 "an unknown option exits 2"
run "$SLUICE" scan
expect_rc 2 "scan without a path exits 2"
run "$SLUICE" scan --jobs zero .
expect_rc 2 "a bad --jobs exits 2"
expect_err "--jobs" "a bad --jobs is explained"

# ---------------------------------------------------------------- a small tree
mkdir -p "$TMP/t/sub"
cat > "$TMP/t/ok.c" <<'EOF'
int add(int a, int b) { return a + b; }
EOF
cat > "$TMP/t/sub/m.py" <<'EOF'
import os
def f(x):
    return os.getenv(x)
EOF
printf 'class A { void m() { int x = 1; } }\n' > "$TMP/t/sub/A.java"

run "$SLUICE" scan --json -q "$TMP/t"
expect_rc 0 "a clean scan exits 0"
printf '%s' "$OUT" > "$TMP/a.json"
check "JSON has results, errors and paths.scanned" \
    json "$TMP/a.json" "d['results']==[] and d['errors']==[] and len(d['paths']['scanned'])==3"

run "$SLUICE" scan --sarif -q "$TMP/t"
printf '%s' "$OUT" > "$TMP/a.sarif"
check "SARIF is 2.1.0 with a driver" \
    json "$TMP/a.sarif" "d['version']=='2.1.0' and d['runs'][0]['tool']['driver']['name']=='sluice'"

run "$SLUICE" scan -q -o "$TMP/out.json" --json "$TMP/t"
expect_rc 0 "--output exits 0"
check "--output writes the report to the file" json "$TMP/out.json" "len(d['paths']['scanned'])==3"
run "$SLUICE" scan -q -o /nonexistent/dir/out.json --json "$TMP/t"
expect_rc 2 "an unwritable --output exits 2"

run "$SLUICE" scan -q --exclude sub --json "$TMP/t"
printf '%s' "$OUT" > "$TMP/ex.json"
check "--exclude drops a directory" json "$TMP/ex.json" "len(d['paths']['scanned'])==1"

# ---------------------------------------------------------------- bad input
run "$SLUICE" scan -q /nonexistent/path
expect_rc 2 "a missing path exits 2"
expect_err "/nonexistent/path" "a missing path is named"

mkdir -p "$TMP/bad"
cp "$TMP/t/ok.c" "$TMP/bad/good.c"
printf 'int f( { return 1;\nint g(void) { return 2; }\n' > "$TMP/bad/broken.c"
printf 'x = "\377\376 not utf-8"\n' > "$TMP/bad/latin.py"
printf '\177ELF\0\0\0binary' > "$TMP/bad/blob.c"
python3 -c "print('x = ' + '(' * 100000 + '1' + ')' * 100000)" > "$TMP/bad/deep.py"
python3 -c "print('int a[] = {' + '1,' * 3500000 + '1};')" > "$TMP/bad/huge.c"
ln -s loop2.c "$TMP/bad/loop1.c"; ln -s loop1.c "$TMP/bad/loop2.c"

run "$SLUICE" scan -q --json "$TMP/bad"
expect_rc 0 "bad files do not fail the scan"
printf '%s' "$OUT" > "$TMP/bad.json"
check "the good file is still scanned" json "$TMP/bad.json" "any(p.endswith('good.c') for p in d['paths']['scanned'])"
check "a syntax error names the file and line" \
    json "$TMP/bad.json" "any(e['path'].endswith('broken.c') and e['spans'][0]['start']['line']==1 for e in d['errors'])"
check "invalid UTF-8 is noted and the file scanned" \
    json "$TMP/bad.json" "any(e['path'].endswith('latin.py') for e in d['errors']) and any(p.endswith('latin.py') for p in d['paths']['scanned'])"
check "a binary file is skipped with a reason" \
    json "$TMP/bad.json" "any(s['path'].endswith('blob.c') and 'binary' in s['reason'] for s in d['paths']['skipped'])"
check "deep nesting is reported, not a crash" \
    json "$TMP/bad.json" "any(e['path'].endswith('deep.py') and 'deep' in e['message'] for e in d['errors'])"
check "a 10 MB file is skipped by the default size limit" \
    json "$TMP/bad.json" "any(s['path'].endswith('huge.c') for s in d['paths']['skipped'])"
check "a symlink loop is reported" \
    json "$TMP/bad.json" "sum('symlink loop' in e['message'] for e in d['errors'])==2"

run "$SLUICE" scan -q --json --max-target-bytes 0 "$TMP/bad/huge.c"
expect_rc 0 "a 10 MB one-line file parses without a size limit"
printf '%s' "$OUT" > "$TMP/huge.json"
check "the 10 MB file is scanned" json "$TMP/huge.json" "len(d['paths']['scanned'])==1"

if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null; then
    mkdir -p "$TMP/perm"; chmod 755 "$TMP" "$TMP/perm"
    cp "$TMP/t/ok.c" "$TMP/perm/a.c"; cp "$TMP/t/ok.c" "$TMP/perm/b.c"; chmod 000 "$TMP/perm/b.c"
    run setpriv --reuid=nobody --regid=nogroup --clear-groups "$SLUICE" scan -q --json "$TMP/perm"
    printf '%s' "$OUT" > "$TMP/perm.json"
    check "an unreadable file is an error, the readable one scanned" \
        json "$TMP/perm.json" "any(e['path'].endswith('b.c') and 'ermission' in e['message'] for e in d['errors']) and any(p.endswith('a.c') for p in d['paths']['scanned'])"
fi

# ---------------------------------------------------------------- determinism across -j
"$SLUICE" scan -q --json -j 1 "$TMP/bad" "$TMP/t" > "$TMP/j1.json" 2>/dev/null
"$SLUICE" scan -q --json -j 4 "$TMP/bad" "$TMP/t" > "$TMP/j4.json" 2>/dev/null
check "JSON is byte-identical for -j 1 and -j 4" cmp -s "$TMP/j1.json" "$TMP/j4.json"

# ---------------------------------------------------------------- dump-ast
run "$SLUICE" dump-ast "$TMP/t/ok.c"
expect_rc 0 "dump-ast exits 0"
expect_out '(Func "add" 1:1-1:40' "dump-ast prints the function with its range"
expect_out '(Binary 1:32-1:37 :op "+"' "dump-ast prints operators"
run "$SLUICE" dump-ast "$TMP/bad/broken.c"
expect_rc 0 "dump-ast on a broken file still prints the tree"
expect_err "broken.c:1:" "dump-ast names the syntax error's line"
expect_out '(Func "g"' "the function after a syntax error survives"
run "$SLUICE" dump-ast /nonexistent.c
expect_rc 2 "dump-ast on a missing file exits 2"

finish

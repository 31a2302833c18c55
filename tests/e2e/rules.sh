# rules.sh: `sluice test` on the repo's annotated rule tests (rules/) and on the
# seed-000 rules against the bundled envgrab setup.py: every annotated line found,
# nothing else; and the command's exit codes.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# ---------------------------------------------------------------- the repo's rule tests
run "$SLUICE" test "$ROOT/rules"
expect_rc 0 "sluice test rules/ passes"
expect_out " 0 failed" "sluice test rules/ reports no failure"

# The annotated cases of the search-rule tests (issue 3 asks for at least 150 across
# C, Python and Java; taint tests are counted apart): one per annotated line.
cases() {
    grep -hcE '(^|[^A-Za-z])(todo)?(ruleid|ok):' "$@" | awk '{s+=$1} END {print s+0}'
}
search_targets=$(ls "$ROOT"/rules/tests/*.c "$ROOT"/rules/tests/*.py "$ROOT"/rules/tests/*.java \
                    "$ROOT"/rules/c/memory-safety.c "$ROOT"/rules/python/*.py "$ROOT"/rules/java/*.java)
n_all=$(cases $search_targets)
n_c=$(cases $(printf '%s\n' $search_targets | grep '\.c$'))
n_py=$(cases $(printf '%s\n' $search_targets | grep '\.py$'))
n_java=$(cases $(printf '%s\n' $search_targets | grep '\.java$'))
echo "# annotated search-rule cases: $n_all (C $n_c, Python $n_py, Java $n_java)"
check "at least 150 annotated search-rule cases ($n_all)" [ "$n_all" -ge 150 ]
check "C, Python and Java each have annotated cases" [ "$n_c" -ge 30 -a "$n_py" -ge 30 -a "$n_java" -ge 30 ]

# Messages interpolate metavariables (not visible to `sluice test`, which checks lines).
cat > "$TMP/msg.yml" <<'YAML'
rules:
  - id: msg-interp
    message: $F called with $A and $...REST; string "$S"
    severity: INFO
    languages: [python]
    pattern: $F($A, "$S", $...REST)
YAML
printf 'send(sock, "hello", 1, 2)\n' > "$TMP/msg.py"
run "$SLUICE" scan --json --config "$TMP/msg.yml" "$TMP/msg.py"
expect_out 'send called with sock and 1, 2; string \"hello\"' "message interpolation of \$X, \$...X and a string's \"\$S\""

# ---------------------------------------------------------------- the built-in packs
# The README's first command: the language packs on the bundled examples.
run "$SLUICE" scan --json --config p/c --config p/python --config p/java "$ROOT/examples"
expect_rc 0 "p/c, p/python and p/java run on examples/"
expect_out '"check_id": "java-sql-concat"' "p/java finds the SQL concatenation in UserController.java"
expect_out '"check_id": "python-env-command"' "p/python finds the env command in setup.py"
run "$SLUICE" scan --json --config p/all "$ROOT/examples"
expect_out '"check_id": "java-sql-concat"' "p/all loads the language packs"
expect_no_out '"check_id": "py-' "p/all leaves out the feature tests"

# ---------------------------------------------------------------- the seed-000 acceptance test
mkdir -p "$TMP/seed"
cp "$SHARED/examples/rules/seed000-env.yml" "$TMP/seed/seed000-env.yml"
cp "$SHARED/examples/pypkg-envgrab/setup.py" "$TMP/seed/seed000-env.py"
run "$SLUICE" test "$TMP/seed"
expect_rc 0 "seed000-env: every annotated line found, nothing else"
expect_out "5 passed, 0 failed" "seed000-env: the five rules pass"

# ---------------------------------------------------------------- failures and exit codes
mkdir -p "$TMP/bad"
cat > "$TMP/bad/miss.yml" <<'YAML'
rules:
  - id: want-eval
    message: eval
    severity: ERROR
    languages: [python]
    pattern-regex: eval\(
YAML
printf '# ruleid: want-eval\nprint(1)\n# ok: want-eval\neval(x)\n' > "$TMP/bad/miss.py"
run "$SLUICE" test "$TMP/bad"
expect_rc 1 "a failing rule test exits 1"
expect_out "FAIL want-eval" "a failing rule test is named"
expect_out "missed lines: 2" "the missed line is listed"
expect_out "unexpected lines: 4" "the unexpected line is listed"
expect_out "0 passed, 1 failed" "the closing line counts rule x file pairs"

printf 'rules: [ {id: x' > "$TMP/bad/broken.yml"
printf 'x = 1\n' > "$TMP/bad/broken.py"
run "$SLUICE" test "$TMP/bad/broken.yml"
expect_rc 2 "a rule file that does not load exits 2"

run "$SLUICE" test "$TMP/nowhere"
expect_rc 2 "a missing path exits 2"

finish

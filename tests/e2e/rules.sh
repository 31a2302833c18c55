# rules.sh: `sluice test` on the repo's annotated rule tests (rules/) and on the
# seed-000 rules against the bundled envgrab setup.py: every annotated line found,
# nothing else; and the command's exit codes.
. "$(dirname "$0")/lib.sh"
ROOT=$(cd "$(dirname "$0")/../.." && pwd)

# ---------------------------------------------------------------- the repo's rule tests
run "$SLUICE" test "$ROOT/rules"
expect_rc 0 "sluice test rules/ passes"
expect_out " 0 failed" "sluice test rules/ reports no failure"

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

# rules_bad.sh: bad rules through `sluice scan --json` (issue 3, "Bad input"): each
# kind of bad rule is an error entry naming its file, line and rule, the good rules
# beside it still give all their findings, and the exit code is 0, or 2 with
# --strict (a warning alone never fails the scan).
. "$(dirname "$0")/lib.sh"

D="$TMP/r"; mkdir -p "$D"
printf 'import os\nos.system("ls")\neval(code)\n' > "$D/t.py"
python3 -c "print('s = \"' + 'a' * 40 + '!\"'); print('eval(s)')" > "$D/slow.py"
cat > "$D/good.yml" <<'YAML'
rules:
  - id: good-eval
    message: eval of $X
    severity: ERROR
    languages: [python]
    pattern: eval($X)
YAML

# json_has FILE PYTHON-EXPR: the expression, over the parsed report d, is true
json_has() { python3 -c "import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if ($2) else 1)" "$1"; }

# bad NAME CHECK-EXPR STRICT-RC: scans t.py with good.yml and NAME.yml; the report must
# satisfy CHECK-EXPR and still hold good-eval's finding; exit 0, STRICT-RC with --strict.
bad() {   # (lib.sh's check() sets $name: these variables are ours)
    bn=$1 bexpr=$2 brc=$3
    run "$SLUICE" scan --json --config "$D/good.yml" --config "$D/$bn.yml" "$D/t.py"
    printf '%s' "$OUT" > "$TMP/$bn.json"
    expect_rc 0 "$bn: exit 0 without --strict"
    check "$bn: the error entry names the file, line and rule" json_has "$TMP/$bn.json" "$bexpr"
    check "$bn: the good rule still reports eval" \
        json_has "$TMP/$bn.json" "[r['start']['line'] for r in d['results'] if r['check_id'] == 'good-eval'] == [3]"
    run "$SLUICE" scan --strict --json --config "$D/good.yml" --config "$D/$bn.yml" "$D/t.py"
    expect_rc "$brc" "$bn: exit $brc with --strict"
}

# the error of type T at line L of NAME.yml, for rule R (None: no rule)
err() { echo "any(e['type'] == '$1' and e['path'].endswith('$2.yml') and e['spans'][0]['start']['line'] == $3 and e.get('rule_id') == $4 for e in d['errors'])"; }

# ---------------------------------------------------------------- malformed YAML
printf 'rules:\n  - id: broken\n    message: [unclosed\n' > "$D/malformed.yml"
bad malformed "$(err 'Rule parse error' malformed 4 None) or $(err 'Rule parse error' malformed 3 None)" 2

# ---------------------------------------------------------------- an unknown key: a warning
cat > "$D/unknown.yml" <<'YAML'
rules:
  - id: with-unknown
    message: os.system
    severity: ERROR
    languages: [python]
    pattern: os.system(...)
    colour: blue
YAML
bad unknown "$(err 'Rule warning' unknown 7 "'with-unknown'") and any(e['level'] == 'warn' for e in d['errors'])" 0
check "unknown: the rule with the unknown key still runs" \
    json_has "$TMP/unknown.json" "any(r['check_id'] == 'with-unknown' for r in d['results'])"

# ---------------------------------------------------------------- a pattern that does not parse
cat > "$D/badpat.yml" <<'YAML'
rules:
  - id: bad-pattern
    message: x
    severity: ERROR
    languages: [python]
    pattern: os.system(((
YAML
bad badpat "$(err 'Pattern parse error' badpat 6 "'bad-pattern'") and any('os.system(((' in e['message'] for e in d['errors'])" 2

# ---------------------------------------------------------------- a regex that does not compile
cat > "$D/badre.yml" <<'YAML'
rules:
  - id: bad-regex
    message: x
    severity: ERROR
    languages: [python]
    patterns:
      - pattern: os.system($X)
      - metavariable-regex:
          metavariable: $X
          regex: (unclosed
YAML
bad badre "$(err 'Invalid regex' badre 10 "'bad-regex'")" 2

# ---------------------------------------------------------------- an unsupported feature
cat > "$D/unsup.yml" <<'YAML'
rules:
  - id: uses-generic
    message: x
    severity: ERROR
    languages: [python]
    patterns:
      - pattern: os.system($X)
      - metavariable-pattern:
          metavariable: $X
          language: generic
          pattern: ls
YAML
bad unsup "any(e['type'] == 'Not supported' and e['path'].endswith('unsup.yml') and e.get('rule_id') == 'uses-generic' and 'not supported' in e['message'] for e in d['errors'])" 2
check "unsup: the line of the unsupported key is given" \
    json_has "$TMP/unsup.json" "any(e['type'] == 'Not supported' and e['spans'][0]['start']['line'] in (8, 10) for e in d['errors'])"

# ---------------------------------------------------------------- a catastrophic regex
cat > "$D/runaway.yml" <<'YAML'
rules:
  - id: runaway
    message: nested repetition
    severity: ERROR
    languages: [python]
    pattern-regex: (a|aa)+$
YAML
run "$SLUICE" scan --json --config "$D/good.yml" --config "$D/runaway.yml" "$D/t.py" "$D/slow.py"
printf '%s' "$OUT" > "$TMP/runaway.json"
expect_rc 0 "runaway regex: the scan goes on and exits 0"
check "runaway regex: an error for that rule on that file" json_has "$TMP/runaway.json" \
    "any(e['type'] == 'Regex error' and e['path'].endswith('slow.py') and e.get('rule_id') == 'runaway' and 'limit' in e['message'] for e in d['errors'])"
check "runaway regex: no error for the other file" json_has "$TMP/runaway.json" \
    "not any(e['path'].endswith('t.py') for e in d['errors'])"
check "runaway regex: the other rule reports on both files" json_has "$TMP/runaway.json" \
    "sorted(r['path'].rsplit('/', 1)[1] for r in d['results'] if r['check_id'] == 'good-eval') == ['slow.py', 't.py']"

finish

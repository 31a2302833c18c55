#!/bin/sh
# trace.sh: `sluice trace` end to end: the seed-000 install-time grabber under Debian's
# pip is caught (sensitive reads, env and sh -c set, /proc/<pid>/environ, the
# connection to 127.0.0.1:9 and the canary values it sent), the benign package is not;
# report formats, exit codes, and clear errors for bad input.
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
ENVGRAB=$SHARED/examples/pypkg-envgrab
BENIGN=$SHARED/examples/pypkg-benign

if [ "$(id -u)" -ne 0 ]; then
    echo "# skipped: sluice trace's sandbox needs root"; finish; exit $?
fi

pip_install() {   # pip_install PKG TARGET: the acceptance command, Debian's pip into a --target
    echo "$PY -m pip install --no-deps --no-index --no-build-isolation --target $2 $1"
}

# ---------------------------------------------------------------- envgrab, JSON
# pip copies the source tree before building it, so the examples stay read-only.
run "$SLUICE" trace --json --command-output "$TMP/pip1.log" -- $(pip_install "$ENVGRAB" "$TMP/t1")
expect_rc 0 "envgrab: the trace runs (no --fail-on: exit 0)"
printf '%s\n' "$OUT" > "$TMP/envgrab.json"
check "envgrab: pip itself succeeded" grep -q "Successfully installed envgrab" "$TMP/pip1.log"

jq_py() {   # jq_py EXPR: evaluates a Python expression over the report r; passes when true
    $PY -c "import json,sys; r=json.load(open('$TMP/envgrab.json')); V=r['violations']
subj=lambda rule: [v['subject'] for v in V if v['rule']==rule]
sys.exit(0 if ($1) else 1)"
}
check "envgrab: read of /etc/environment"  jq_py "'/etc/environment' in subj('sensitive-path')"
check "envgrab: read of /etc/profile"      jq_py "'/etc/profile' in subj('sensitive-path')"
check "envgrab: read of ~/.bashrc"         jq_py "any(s.endswith('/.bashrc') for s in subj('sensitive-path'))"
check "envgrab: read of ~/.profile"        jq_py "any(s.endswith('/.profile') for s in subj('sensitive-path'))"
check "envgrab: read of /proc/<pid>/environ" jq_py "'/proc/*/environ' in subj('sensitive-path') and any(e['path'].startswith('/proc/') and e['path'].endswith('/environ') for v in V if v['subject']=='/proc/*/environ' for e in v['events'])"
check "envgrab: env executed"              jq_py "'env' in subj('sensitive-command') and any(e['result']==0 and e['args']['argv']==['env'] for v in V if v['subject']=='env' for e in v['events'])"
check "envgrab: sh -c set executed"        jq_py "'set' in subj('sensitive-command') and 'sh -c set' in subj('shell-command')"
check "envgrab: connection to 127.0.0.1:9" jq_py "'127.0.0.1:9/tcp' in subj('network')"
check "envgrab: canaries found in the bytes sent" jq_py "any(v['subject']=='sent to 127.0.0.1:9/tcp' and {'AWS_ACCESS_KEY_ID','GITHUB_TOKEN'} <= {c['name'] for c in v['canaries']} for v in V if v['rule']=='exfiltration')"
check "envgrab: canary values are reported" jq_py "all(c['value'] and len(c['value'])>=16 for v in V if v['rule']=='exfiltration' for c in v['canaries'])"
check "envgrab: the sink kept the sent bytes" jq_py "any(e['syscall']=='sink' and e['data']['length']>1000 for v in V if v['rule']=='exfiltration' for e in v['events'])"
check "envgrab: the command's exit status is in the report" jq_py "r['exit']['code']==0 and r['exit']['status']=='exited with 0'"

# ---------------------------------------------------------------- envgrab, text and --fail-on
run "$SLUICE" trace --fail-on ERROR --command-output "$TMP/pip2.log" -- $(pip_install "$ENVGRAB" "$TMP/t2")
expect_rc 1 "envgrab: --fail-on ERROR exits 1"
expect_out "Read of sensitive file /etc/environment" "text: sensitive read"
expect_out "Ran \`env\`" "text: env"
expect_out "Shell script runs \`set\` (sh -c 'set')" "text: sh -c set"
expect_out "Connection to 127.0.0.1:9/tcp" "text: connection"
expect_out "canary AWS_ACCESS_KEY_ID (env) = AKIA" "text: canary value shown"
expect_out "command exited with 0" "text: command status"

# ---------------------------------------------------------------- benign
run "$SLUICE" trace --fail-on INFO --command-output "$TMP/pip3.log" -- $(pip_install "$BENIGN" "$TMP/t3")
expect_rc 0 "benign: no violation even at --fail-on INFO"
expect_out "no violations" "benign: text says so"
check "benign: pip itself succeeded" grep -q "Successfully installed benign" "$TMP/pip3.log"

# ---------------------------------------------------------------- SARIF and events
run "$SLUICE" trace --sarif --events "$TMP/events.jsonl" --command-output /dev/null -- /bin/sh -c 'env >/dev/null; sh -c set >/dev/null'
expect_rc 0 "sarif: runs"
printf '%s\n' "$OUT" > "$TMP/out.sarif"
check "sarif: version 2.1.0, tool sluice, results" $PY -c "
import json; s=json.load(open('$TMP/out.sarif'))
assert s['version']=='2.1.0' and s['\$schema']
d=s['runs'][0]['tool']['driver']; assert d['name']=='sluice' and any(r['id']=='trace.sensitive-command' for r in d['rules'])
res=s['runs'][0]['results']; assert any(r['ruleId']=='trace.sensitive-command' and r['level']=='error' for r in res)"
check "events: one JSON object per line with pid, syscall, result" $PY -c "
import json; ev=[json.loads(l) for l in open('$TMP/events.jsonl')]
assert ev and all({'seq','time','pid','ppid','syscall','args','result'} <= set(e) for e in ev)
assert any(e['syscall']=='execve' and e['args']['argv']==['env'] for e in ev)"

# ---------------------------------------------------------------- no sandbox
run "$SLUICE" trace --no-sandbox --json --command-output /dev/null -- /bin/sh -c 'cat /etc/profile >/dev/null'
expect_rc 0 "no-sandbox: runs"
expect_out '"enabled": false' "no-sandbox: says so"
expect_out '"/etc/profile"' "no-sandbox: still judged"

# ---------------------------------------------------------------- bad input
run "$SLUICE" trace -- no-such-command-xyz
expect_rc 2 "missing command: exit 2"
expect_err "command not found: no-such-command-xyz" "missing command: clear message"

printf 'network:\n  allowed-hosts: [10.0.0.0/8\n' > "$TMP/bad.yml"
run "$SLUICE" trace --policy "$TMP/bad.yml" -- /bin/true
expect_rc 2 "malformed policy: exit 2"
expect_err "$TMP/bad.yml:3:1:" "malformed policy: file:line:col"

printf 'sensitive-paths:\n  paths: [/etc/hostname]\n  sevrity: ERROR\n' > "$TMP/bad2.yml"
run "$SLUICE" trace --policy "$TMP/bad2.yml" -- /bin/true
expect_rc 2 "unknown policy key: exit 2"
expect_err "$TMP/bad2.yml:3:3: unknown key in this section: sevrity" "unknown policy key: located"

run "$SLUICE" trace --timeout 1 --command-output /dev/null -- "$BUILD/tests/helpers/hang"
expect_rc 3 "hang: cut short by the time limit, exit 3"
expect_err "time limit of 1 s reached" "hang: clear message"

run "$SLUICE" trace --max-procs 10 --command-output /dev/null -- "$BUILD/tests/helpers/forker" 300
expect_rc 3 "fork without end: exit 3"
expect_err "process limit reached" "fork without end: clear message"

run "$SLUICE" trace
expect_rc 2 "no command: exit 2"
expect_err "no command given" "no command: clear message"

finish

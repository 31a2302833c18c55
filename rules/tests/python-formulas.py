import hashlib
import json
import os
import random
import subprocess


def view(request, db):
    cur = db.cursor()
    # ruleid: py-inside-func
    cur.execute(request.GET["q"])
    return cur


def batch(db, q):
    cur = db.cursor()
    # ok: py-inside-func
    cur.execute(q)


def parse(body):
    # ruleid: py-not-inside-try
    data = json.loads(body)
    try:
        # ok: py-not-inside-try
        more = json.loads(body)
    except ValueError:
        more = None
    return data, more


def tokens(items):
    # ruleid: py-not
    t = random.randint(0, 10)
    # ok: py-not
    random.seed(1)
    # ok: py-not
    random.shuffle(items)
    # ruleid: py-not
    return t, random.choice(items)


def hashes(b):
    # ruleid: py-either
    hashlib.md5(b)
    # ruleid: py-either
    hashlib.sha1(b)
    # ruleid: py-either
    hashlib.new("MD5", b)
    # ok: py-either
    hashlib.new("sha256", b)
    # ok: py-either
    hashlib.sha256(b)


# ruleid: py-regex
AWS_KEY = "AKIAABCDEFGHIJKLMNOP"
# ok: py-regex
NOT_A_KEY = "AKIA1234"
# ruleid: py-regex-named
# TODO(alice): rotate the key above


def printing(x):
    # ruleid: py-not-regex
    print("value", x)
    # ok: py-not-regex
    print("DEBUG value", x)


def secrets(user_input):
    # ruleid: py-mv-regex
    db_password = "hunter2"
    # ruleid: py-mv-regex
    API_TOKEN = 'abc'
    # ok: py-mv-regex
    username = "bob"
    # ok: py-mv-regex
    password = user_input
    return db_password, API_TOKEN, username, password


def commands(host, n):
    # ruleid: py-mv-pattern
    subprocess.check_output("ping -c 1 %s" % host, shell=True)
    # ruleid: py-mv-pattern
    subprocess.check_output("ping {}".format(host), shell=True)
    # ruleid: py-mv-pattern
    subprocess.check_output("ping " + host, shell=True)
    # ok: py-mv-pattern
    subprocess.check_output(["ping", "-c", "1", host])


def sql(c):
    # ruleid: py-mv-pattern-lang
    c.execute("DELETE FROM users")
    # ok: py-mv-pattern-lang
    c.execute("DELETE FROM users WHERE id = 1")


def modes(p):
    # ruleid: py-mv-comparison
    os.chmod(p, 0o777)
    # ruleid: py-mv-comparison
    os.chmod(p, 0o666)
    # ok: py-mv-comparison
    os.chmod(p, 0o644)
    # ok: py-mv-comparison
    os.chmod(p, 0o600)


def tls():
    # ruleid: py-mv-comparison-str
    ssl_context(version="1.0")
    # ok: py-mv-comparison-str
    ssl_context(version="1.3")


def page(tpl, name):
    render(tpl,
           # ruleid: py-focus
           name)
    # ok: py-focus
    return render(tpl)


def checks(x):
    # ok: py-paths-exclude
    # ruleid: py-paths-include
    assert x > 0


def dynamic(code):
    exec(code)  # nosemgrep
    exec(code)  # nosemgrep: py-nosemgrep
    # nosemgrep: py-nosemgrep
    exec(code)
    # ok: py-nosemgrep
    exec(code)  # nosemgrep: some-other-rule, py-nosemgrep
    # ruleid: py-nosemgrep
    exec(code)  # nosemgrep: some-other-rule


WEAK = "ECB"


def ciphers(AES, key, mode):
    # ruleid: py-mv-regex-const
    AES.new(key, WEAK)
    # ok: py-mv-regex-const
    AES.new(key, "GCM")
    # ok: py-mv-regex-const
    AES.new(key, mode)


def credentials(connect, name, secret):
    # ok: py-focus-list
    connect(
        # ruleid: py-focus-list
        user=name,
        # ruleid: py-focus-list
        password=secret)


# ruleid: py-regex-language
EMBEDDED = "-----BEGIN OPENSSH PRIVATE KEY-----"

import hashlib
import logging as log
import os
import pickle
import requests
import subprocess
import tempfile


def metavariables(a, b, x, y):
    # ruleid: py-same-args
    max(a, a)
    # ok: py-same-args
    max(a, b)
    # ruleid: py-same-args
    min(x.y, x.y)
    # ok: py-same-args
    min(x.y, x.z)
    # ruleid: py-self-assign
    a = a
    # ok: py-self-assign
    a = b
    # ruleid: py-any-two-args
    hashlib.new("md5", b"x")
    # ok: py-any-two-args
    hashlib.new("md5")


# ruleid: py-def-name
def view(request, pk):
    return pk


# ok: py-def-name
def helper(req, pk):
    return pk


def args_and_params(conn, blob, url):
    # ruleid: py-args-capture
    log.warn("disk %s", conn)
    # ruleid: py-args-capture
    log.warn()
    # ok: py-args-capture
    log.warning("disk")
    # ruleid: py-args-last
    requests.get(url, timeout=3, verify=False)
    # ruleid: py-args-last
    requests.post(url, verify=False)
    # ok: py-args-last
    requests.get(url, verify=True)
    # ruleid: py-args-first
    pickle.loads(blob)
    # ruleid: py-args-first
    pickle.loads(blob, encoding="bytes")
    # ok: py-args-first
    pickle.dumps(blob)


# ruleid: py-params-middle
def login(user, password, remember=False):
    return user


# ruleid: py-params-middle
def check(password):
    return password


# ok: py-params-middle
def logout(user, token):
    return user


def sequences(data):
    # ruleid: py-stmts-seq
    t = tempfile.mktemp()
    print(t)
    if data:
        os.chmod(t, 0o777)
    # ok: py-stmts-seq
    u = tempfile.mktemp()
    os.chmod(data, 0o600)
    return u


def collections(cmd, opts):
    # ruleid: py-list-ellipsis
    subprocess.call(["sudo", cmd, "-n"])
    # ruleid: py-list-ellipsis
    subprocess.call(["sudo"])
    # ok: py-list-ellipsis
    subprocess.call([cmd, "sudo"])
    # ruleid: py-dict-ellipsis
    cfg = {"name": "x", "debug": True, "port": 80}
    # ok: py-dict-ellipsis
    cfg2 = {"name": "x", "debug": False}
    # ruleid: py-tuple-ellipsis
    users = ("alice", "bob", "root")
    # ok: py-tuple-ellipsis
    users2 = ("root", "alice")
    return cfg, cfg2, users, users2


def strings(expr):
    # ruleid: py-any-string
    eval("1 + 2")
    # ruleid: py-any-string
    eval('x')
    # ok: py-any-string
    eval(expr)


def chains(Model, where):
    # ruleid: py-method-chain
    Model.objects.filter(a=1).exclude(b=2).extra(where=where)
    # ruleid: py-method-chain
    Model.objects.extra(where=where)
    # ok: py-method-chain
    Model.objects.filter(a=1).order_by("b")


def deep():
    # ruleid: py-deep-expr
    n = int(input())
    # ruleid: py-deep-expr
    m = int(input().strip() or "0")
    # ok: py-deep-expr
    k = int("4")
    # ruleid: py-deep-any-depth
    return [hashlib.md5(b"a").hexdigest()], n, m, k


def statements(v, user):
    # ruleid: py-if-stmt
    if v == None:
        v = 0
    # ruleid: py-if-stmt
    if v == None:
        v = 1
    else:
        v = 2
    # ok: py-if-stmt
    if v is None:
        v = 3
    if user.admin:
        # ruleid: py-return-stmt
        return user.secret
    # ok: py-return-stmt
    return user.name


# ruleid: py-class-def
class Holder(object):
    def open(self):
        pass

    def __del__(self):
        self.close()


# ok: py-class-def
class Plain:
    def close(self):
        pass


def files(path):
    # ruleid: py-with-stmt
    with open(path, "w") as out:
        out.write("x")
    # ok: py-with-stmt
    with open(path, "r") as inp:
        return inp.read()

import subprocess as sp
import time


def f(a, b, cmd):
    # ruleid: py-metavar-unify
    if a == a:
        pass
    # ok: py-metavar-unify
    if a == b:
        pass
    # ruleid: py-subprocess-alias
    sp.run(cmd, check=True, shell=True)
    # ok: py-subprocess-alias
    sp.run(cmd, shell=False)
    # ruleid: py-open-close
    h = open("x")
    h.read()
    h.close()
    # ruleid: py-eval-not-safe
    eval(cmd)
    # ok: py-eval-not-safe
    eval("1 + 1")
    # ruleid: py-sleep-long
    time.sleep(30)
    # ok: py-sleep-long
    time.sleep(1)


def safe(x):
    # ok: py-eval-not-safe
    return eval(x)


def g():
    x = 1  # nosemgrep
    # ok: py-metavar-unify
    return x == x  # nosemgrep: py-metavar-unify

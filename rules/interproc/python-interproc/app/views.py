# views.py: callers; the callees come from util.py through imports.
import os
from flask import request
from app import util
from app.util import wrap, quoted as q, Runner

LAST = None


def handler():
    util.run(request.args.get("cmd"))


def through_propagator():
    s = wrap(request.args.get("x"))
    # ruleid: py-ip-exec
    os.system(s)


def through_sanitizer():
    s = q(request.args.get("x"))
    # ok: py-ip-exec
    os.system(s)


def through_recursion():
    util.countdown(request.args.get("x"), 3)


def through_method():
    r = Runner(request.args.get("p"))
    # ruleid: py-ip-exec
    os.system(r.command("x"))
    r.start()


def remember():
    global LAST
    LAST = request.args.get("x")


def replay():
    # ruleid: py-ip-exec
    os.system(LAST)

# util.py: callees in another module than their callers (views.py).
import os
import shlex


def run(cmd):
    # ruleid: py-ip-exec
    os.system(cmd)


def wrap(value):
    return "echo " + value


def quoted(value):
    return shlex.quote(value)


def countdown(cmd, n):
    if n > 0:
        return countdown(cmd, n - 1)
    # ruleid: py-ip-exec
    os.system(cmd)


class Runner:
    def __init__(self, prefix):
        self.prefix = prefix
        self.safe = "ls"

    def command(self, arg):
        return self.prefix + arg

    def run_prefix(self):
        # ruleid: py-ip-exec
        os.system(self.prefix)

    def run_safe(self):
        # ok: py-ip-exec
        os.system(self.safe)

    def start(self):
        self.run_prefix()
        self.run_safe()

import os
import shlex


def direct():
    # ruleid: py-taint-cmd
    os.system(input())
    # ok: py-taint-cmd
    os.system("ls")


def strings():
    name = input()
    cmd = "echo " + name
    # ruleid: py-taint-cmd
    os.system(cmd)
    # ruleid: py-taint-cmd
    os.system(f"echo {name}")
    # ruleid: py-taint-cmd
    os.system("echo {}".format(name))
    # ruleid: py-taint-cmd
    os.system("echo %s" % name)


def sanitized():
    name = request.args.get("n")
    # ok: py-taint-cmd
    os.system("echo " + shlex.quote(name))
    safe = shlex.quote(name)
    # ok: py-taint-cmd
    os.system(safe)


def overwritten():
    name = input()
    name = "fixed"
    # ok: py-taint-cmd
    os.system(name)


def collections():
    items = []
    items.append(input())
    # ruleid: py-taint-cmd
    os.system(items[0])
    d = {"k": input()}
    # ruleid: py-taint-cmd
    os.system(d["k"])
    a, b = input(), "x"
    # ruleid: py-taint-cmd
    os.system(a)


def loops(n):
    for line in [input()]:
        # ruleid: py-taint-cmd
        os.system(line)
    x = "safe"
    while n:
        x = input()
        n -= 1
    else:
        # ruleid: py-taint-cmd
        os.system(x)


def exceptions():
    try:
        v = input()
        raise ValueError(v)
    except ValueError as e:
        # ruleid: py-taint-cmd
        os.system(e)
    finally:
        pass
    w = "safe"
    try:
        w = input()
        risky()
    except Exception:
        # ruleid: py-taint-cmd
        os.system(w)


def context():
    with open(input()) as fh:
        # ruleid: py-taint-cmd
        os.system(fh.read())


class Handler:
    def handle(self):
        self.cmd = input()
        # ruleid: py-taint-cmd
        os.system(self.cmd)
        # ok: py-taint-cmd
        os.system(self.other)


def conditional(c):
    v = input() if c else "x"
    # ruleid: py-taint-cmd
    os.system(v)
    w = input()
    if c:
        w = "a"
    else:
        w = "b"
    # ok: py-taint-cmd
    os.system(w)


def propagators(box):
    box.stash(secret())
    # ruleid: py-taint-prop
    publish(box)
    other = make()
    other.stash("x")
    # ok: py-taint-prop
    publish(other)


def labels():
    r = raw()
    # ok: py-taint-labels
    run(r)
    p = parse(r)
    # ruleid: py-taint-labels
    run(p)
    # ok: py-taint-labels
    run(parse("const"))


def safe_types():
    s = input()
    # ok: py-taint-safe
    render(int(s))
    # ok: py-taint-safe
    render(len(s))
    # ok: py-taint-safe
    render(s == "a")
    # ruleid: py-taint-safe
    render(s)


def side_effect(buf, other):
    load_into(buf)
    # ruleid: py-taint-side-effect
    dump(buf)
    # ok: py-taint-side-effect
    dump(other)


def lambdas():
    f = lambda: input()
    # ok: py-taint-cmd
    os.system("x")

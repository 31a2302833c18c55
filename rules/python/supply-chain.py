# Test target for supply-chain.yml: each "ruleid:" comment says the next line is a
# finding of that rule, each "ok:" comment that the next line is not.
import ctypes
import os
import pathlib
import subprocess
from pathlib import Path


def env_commands():
    # ruleid: python-env-command
    subprocess.check_output(["env"])
    # ruleid: python-env-command
    subprocess.run(["sh", "-c", "set"], capture_output=True)
    # ruleid: python-env-command
    subprocess.Popen(["/usr/bin/env", "printenv"])
    # ruleid: python-env-command
    os.system("env > /tmp/all")
    # ruleid: python-env-command
    os.popen("  set")
    # ok: python-env-command
    subprocess.run(["ls", "-l"])
    # ok: python-env-command
    os.system("envsubst < in.tmpl > out")
    # ok: python-env-command
    subprocess.check_output(["git", "describe", "--tags"])


def environ_access():
    # ruleid: python-environ-access
    home = os.environ.get("HOME")
    # ruleid: python-environ-access
    token = os.environ["TOKEN"]
    # ruleid: python-environ-access
    everything = dict(os.environ)
    # ruleid: python-environ-access
    raw = dict(os.environb)
    # ruleid: python-environ-access
    path = os.getenv("PATH", "")
    # ok: python-environ-access
    here = os.path.join(os.getcwd(), "build")
    return home, token, everything, raw, path, here


def proc_environ(pid):
    # ruleid: python-proc-environ
    loc = Path("/proc") / str(pid) / "environ"
    # ruleid: python-proc-environ
    mine = pathlib.Path("/proc") / "self" / "environ"
    # ruleid: python-proc-environ
    data = open("/proc/self/environ", "rb").read()
    # ok: python-proc-environ
    status = open("/proc/self/status").read()
    # ok: python-proc-environ
    cpu = Path("/proc") / "cpuinfo"
    return loc, mine, data, status, cpu


def env_files():
    # ruleid: python-shell-env-files
    with open("/etc/environment") as f:
        f.read()
    # ruleid: python-shell-env-files
    rc = Path("~/.bashrc").expanduser().read_text()
    # ruleid: python-shell-env-files
    for name in {"/etc/profile", "~/.zshrc"}:
        print(name)
    # ok: python-shell-env-files
    hosts = open("/etc/hostname").read()
    # ok: python-shell-env-files
    wanted = {"README.md", "setup.cfg"}
    return rc, hosts, wanted


def libc_environ():
    libc = ctypes.CDLL(None)
    # ruleid: python-ctypes-environ
    env = ctypes.POINTER(ctypes.c_char_p).in_dll(libc, "environ")
    # ok: python-ctypes-environ
    errno = ctypes.c_int.in_dll(libc, "errno")
    return env, errno


def libc_elsewhere(lib):
    # ok: python-ctypes-environ
    return ctypes.c_void_p.in_dll(lib, "environ")

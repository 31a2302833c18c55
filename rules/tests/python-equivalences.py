import subprocess
import xml.etree.ElementTree
import yaml as yml
from cryptography.hazmat.primitives.asymmetric import rsa
from os import environ
from os import system as run_shell
from urllib.request import urlopen
from xml.etree import ElementTree as ET


def aliases(text, cmd, path):
    # ruleid: py-import-as
    yml.load(text)
    # ok: py-import-as
    yml.safe_load(text)
    # ruleid: py-from-import
    run_shell(cmd)
    # ok: py-from-import
    system(cmd)
    # ruleid: py-dotted-import
    xml.etree.ElementTree.parse(path)
    # ruleid: py-dotted-import
    ET.parse(path)
    # ok: py-dotted-import
    ET.fromstring(path)
    # ruleid: py-from-import-name
    return environ["HOME"]


def regexes(cur, table):
    # ruleid: py-string-regex
    cur.execute("SELECT * FROM t WHERE id = %s", (1,))
    # ruleid: py-string-regex
    cur.execute('  delete from t')
    # ok: py-string-regex
    cur.execute("UPDATE t SET a = 1")
    # ok: py-string-regex
    cur.execute(table)


def quotes():
    # ruleid: py-quote-styles
    login("admin")
    # ruleid: py-quote-styles
    login('admin')
    # ruleid: py-quote-styles
    login("""admin""")
    # ok: py-quote-styles
    login("administrator")


def kwargs(app, cmd):
    # ruleid: py-kwarg-order
    app.run(debug=True, host="0.0.0.0")
    # ruleid: py-kwarg-order
    app.run(host="0.0.0.0", debug=True)
    # ok: py-kwarg-order
    app.run(host="0.0.0.0", debug=False)
    # ok: py-kwarg-order
    app.run(host="0.0.0.0", debug=True, port=80)
    # ruleid: py-kwarg-ellipsis
    subprocess.Popen(cmd, shell=True, cwd="/")
    # ruleid: py-kwarg-ellipsis
    subprocess.Popen(cwd="/", shell=True, args=cmd)
    # ok: py-kwarg-ellipsis
    subprocess.Popen(cmd, cwd="/")


BITS = 1024
BASE = "http://example.org/feed"


def constants():
    # ruleid: py-const-prop
    rsa.generate_private_key(public_exponent=65537, key_size=BITS)
    # ok: py-const-prop
    rsa.generate_private_key(public_exponent=65537, key_size=4096)
    # ruleid: py-const-prop-regex
    urlopen(BASE)
    # ok: py-const-prop-regex
    urlopen("https://example.org")


def reassigned(n):
    size = 1024
    size = n
    # ok: py-const-prop
    rsa.generate_private_key(public_exponent=65537, key_size=size)

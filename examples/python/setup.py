# A package whose install step reads the environment: what supply-chain rules look for.
import os
import subprocess as sp
from setuptools import setup

token = os.environ.get("GITHUB_TOKEN")
home = os.getenv("HOME")
listing = sp.run(["env"], capture_output=True)
with open("/etc/environment") as f:
    extra = f.read()

setup(name="example", version="0.1")

"""Hostile: replace sys.stdout with an object that breaks every later print."""

import sys


class _Broken:
    def write(self, text):
        raise OSError("stdout is broken")

    def flush(self):
        raise OSError("stdout is broken")


def policy(resource):
    sys.stdout = _Broken()
    return True

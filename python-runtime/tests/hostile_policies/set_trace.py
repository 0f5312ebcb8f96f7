"""Hostile: install a trace function."""

import sys


def policy(resource):
    sys.settrace(lambda *args: None)
    return True

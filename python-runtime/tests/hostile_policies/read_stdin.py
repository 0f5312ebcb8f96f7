"""Hostile: read the worker's stdin."""

import sys


def policy(resource):
    sys.stdin.read()
    return True

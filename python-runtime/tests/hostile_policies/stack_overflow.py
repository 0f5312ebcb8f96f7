"""Hostile: raise the recursion limit, then overflow the C stack."""

import sys


def policy(resource):
    sys.setrecursionlimit(10**7)
    return _down(0)


def _down(depth):
    return _down(depth + 1) + 1

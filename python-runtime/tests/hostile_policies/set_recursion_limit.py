"""Hostile: lower the recursion limit for everyone after it."""

import sys


def policy(resource):
    sys.setrecursionlimit(60)
    return True

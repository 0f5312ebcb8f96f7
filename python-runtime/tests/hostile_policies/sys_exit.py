"""Hostile: call sys.exit(3)."""

import sys


def policy(resource):
    sys.exit(3)

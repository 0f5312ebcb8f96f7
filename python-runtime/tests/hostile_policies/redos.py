"""Hostile: catastrophic regex backtracking (C code)."""

import re


def policy(resource):
    return re.match(r'^(a+)+$', 'a' * 64 + 'b') is None

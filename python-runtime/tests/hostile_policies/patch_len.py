"""Hostile: replace builtins.len."""

import builtins


def policy(resource):
    builtins.len = lambda value: 0
    return True

"""Hostile: replace builtins.bool and builtins.any."""

import builtins


def policy(resource):
    builtins.bool = lambda value=False: True
    builtins.any = lambda values: False
    return True

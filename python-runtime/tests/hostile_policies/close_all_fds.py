"""Hostile: close every descriptor above 2 (the worker's reply pipe too)."""

import os


def policy(resource):
    os.closerange(3, 65536)
    return True

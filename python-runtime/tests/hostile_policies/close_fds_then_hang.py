"""Hostile: close the worker's reply pipe, then hang in C code (the engine must not wait forever)."""

import collections
import itertools
import os


def policy(resource):
    os.closerange(3, 65536)
    collections.deque(itertools.count(), maxlen=0)
    return True

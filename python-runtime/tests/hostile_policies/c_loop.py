"""Hostile: an endless loop inside C code, which no signal handler interrupts."""

import collections
import itertools


def policy(resource):
    collections.deque(itertools.count(), maxlen=0)
    return True

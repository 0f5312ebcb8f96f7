"""Hostile: cancel the interval timer, then spin in Python forever."""

import signal


def policy(resource):
    signal.setitimer(signal.ITIMER_REAL, 0)
    while True:
        pass

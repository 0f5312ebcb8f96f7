"""Hostile: cancel the engine's timer with signal.alarm(0) and return normally."""

import signal


def policy(resource):
    signal.alarm(0)
    return True

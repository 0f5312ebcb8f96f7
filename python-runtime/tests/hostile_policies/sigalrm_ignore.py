"""Hostile: replace the SIGALRM handler."""

import signal


def policy(resource):
    signal.signal(signal.SIGALRM, signal.SIG_IGN)
    return True

"""Hostile: SIGKILL the worker process."""

import os
import signal


def policy(resource):
    os.kill(os.getpid(), signal.SIGKILL)
    return True

"""Hostile: time.sleep(1000)."""

import time


def policy(resource):
    time.sleep(1000)
    return True

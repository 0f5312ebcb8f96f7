"""Hostile: close file descriptors 1 and 2."""

import os


def policy(resource):
    os.close(1)
    os.close(2)
    return True

"""Hostile: fork, and let the copy return into the engine too."""

import os


def policy(resource):
    os.fork()
    return True

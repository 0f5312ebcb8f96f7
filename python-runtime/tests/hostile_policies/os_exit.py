"""Hostile: end the worker process with os._exit(1)."""

import os


def policy(resource):
    os._exit(1)

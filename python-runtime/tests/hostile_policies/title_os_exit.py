"""Hostile: fail, then end the worker from title()."""

import os


def policy(resource):
    return False


def title(resource):
    os._exit(2)

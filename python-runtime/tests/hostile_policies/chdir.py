"""Hostile: change the working directory."""

import os


def policy(resource):
    os.chdir('/')
    return True

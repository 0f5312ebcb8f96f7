"""Hostile: change os.environ for everyone after it."""

import os


def policy(resource):
    os.environ['TZ'] = 'Pacific/Kiritimati'
    return True

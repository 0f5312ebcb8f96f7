"""Hostile: raise KeyboardInterrupt, which `except Exception` misses."""

def policy(resource):
    raise KeyboardInterrupt

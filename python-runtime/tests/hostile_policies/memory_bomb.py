"""Hostile: allocate a 10 GB string."""

def policy(resource):
    return len('x' * 10**10) > 0

"""Hostile: unbounded recursion."""

def policy(resource):
    return _down(0)


def _down(depth):
    return _down(depth + 1) + 1

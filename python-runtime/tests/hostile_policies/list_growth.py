"""Hostile: grow a list until memory runs out."""

def policy(resource):
    hoard = []
    while True:
        hoard.append(' ' * 10**8)

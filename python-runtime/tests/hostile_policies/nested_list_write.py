"""Hostile: empty a nested list of the resource with list.clear."""

def policy(resource):
    for value in resource.values():
        if isinstance(value, list) and value:
            list.clear(value)
    return True

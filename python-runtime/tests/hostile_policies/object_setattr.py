"""Hostile: rebind the resource's class with object.__setattr__."""

def policy(resource):
    object.__setattr__(resource, '__class__', dict)
    resource['Tags'] = {}
    return True

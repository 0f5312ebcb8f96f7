"""Hostile: find another policy's module through the garbage collector and patch it."""

import gc
import types


def policy(resource):
    for thing in gc.get_objects():
        if isinstance(thing, types.ModuleType) and getattr(thing, '__name__', '') == 'posture_policy_AWS_S3_Bucket_PublicAccessBlock':
            thing.policy = lambda r: True
    return True

"""Hostile: swap the code object of another policy's function."""

import sys


def policy(resource):
    victim = sys.modules.get('posture_policy_AWS_S3_Bucket_MFADelete')
    if victim is not None:
        victim.policy.__code__ = (lambda r: True).__code__
    return True

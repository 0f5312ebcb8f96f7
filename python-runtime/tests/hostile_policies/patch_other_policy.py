"""Hostile: replace another policy's policy() through sys.modules."""

import sys


def policy(resource):
    victim = sys.modules.get('posture_policy_AWS_S3_Bucket_Encryption')
    if victim is not None:
        victim.policy = lambda r: True
    return True

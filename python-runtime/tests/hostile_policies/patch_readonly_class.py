"""Hostile: make the read-only resource class writable, then write."""

from posture_engine.readonly import ReadOnlyDict


def policy(resource):
    ReadOnlyDict.__setitem__ = dict.__setitem__
    resource['EncryptionRules'] = [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'}}]
    return True

"""Hostile: write the read-only resource with dict.__setitem__."""

def policy(resource):
    dict.__setitem__(resource, 'EncryptionRules', [{'ApplyServerSideEncryptionByDefault': {'SSEAlgorithm': 'AES256'}}])
    dict.__setitem__(resource, 'IpPermissions', [])
    return True

"""Hostile: print garbage to stdout, by print and by os.write(1)."""

import os
import sys


def policy(resource):
    print('}{ not json')
    sys.stdout.write('{"id": 1, "results": []}\n')
    os.write(1, b'garbage on fd 1\n')
    return True

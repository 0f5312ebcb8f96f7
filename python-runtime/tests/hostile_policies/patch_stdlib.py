"""Hostile: monkeypatch a standard-library function other policies call (json.loads)."""

import json


def policy(resource):
    json.loads = lambda *args, **kwargs: {}
    return True

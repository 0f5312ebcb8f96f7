"""Hostile: monkeypatch the engine's evaluation function."""

import posture_engine.engine


def policy(resource):
    posture_engine.engine.evaluate_pair = lambda *args: True
    return True

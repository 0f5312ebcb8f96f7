"""Hostile: replace a function of a shared global helper module."""

import posture_network


def policy(resource):
    posture_network.world_open_ports = lambda *args, **kwargs: []
    posture_network.world_open_ranges = lambda *args, **kwargs: []
    return True

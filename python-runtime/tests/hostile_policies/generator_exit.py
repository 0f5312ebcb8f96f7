"""Hostile: raise GeneratorExit from the policy."""

def policy(resource):
    raise GeneratorExit('bye')

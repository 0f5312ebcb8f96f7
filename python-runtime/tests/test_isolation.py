"""What lasts between batches: nothing a policy does, and the engine process's own snapshot of
shared state only while it is still exact (isolation.py builds it once, checks it per batch)."""

from __future__ import annotations

import sys

from conftest import Pack, bucket

from posture_engine import Engine
from posture_engine import isolation

STATE_GLOBAL = """
SEEN = []  # mutable state in a shared helper: in-place changes are not detected
"""

RECORDER = """
import shared_state

def policy(resource):
    if resource["ResourceId"].endswith("poison"):
        shared_state.SEEN.append(resource["ResourceId"])  # changed in place
    return True
"""

READER = """
import shared_state

def policy(resource):
    return not shared_state.SEEN
"""

COUNTER = """
CALLS = [0]

def policy(resource):
    CALLS[0] += 1  # its own module's state
    return CALLS[0] == 1
"""


def _statuses(engine: Engine, resources: list[dict[str, object]]) -> dict[tuple[str, str], str]:
    return {(r["policyId"], r["resourceId"]): r["status"] for r in engine.evaluate(resources)}


def test_state_a_policy_changes_in_place_ends_with_its_batch(pack: Pack) -> None:
    pack.global_("shared_state", STATE_GLOBAL)
    pack.policy("a_recorder", RECORDER)
    pack.policy("b_reader", READER)
    pack.policy("c_counter", COUNTER)
    engine = Engine.from_directories([str(pack.root)])
    assert engine.errors == []
    first = _statuses(engine, [bucket("arn:aws:s3:::poison")])
    # Within its batch the undetected change is seen (as the README says)...
    assert first[("Test.b_reader", "arn:aws:s3:::poison")] == "FAIL"
    assert first[("Test.c_counter", "arn:aws:s3:::poison")] == "PASS"
    # ...but the next batch runs in a fresh worker: neither the helper's list nor the
    # policy's own counter carries over.
    second = _statuses(engine, [bucket("arn:aws:s3:::clean")])
    assert second == {("Test.a_recorder", "arn:aws:s3:::clean"): "PASS",
                      ("Test.b_reader", "arn:aws:s3:::clean"): "PASS",
                      ("Test.c_counter", "arn:aws:s3:::clean"): "PASS"}
    # The engine process itself never ran the policies.
    assert sys.modules["shared_state"].SEEN == []


ADDS_A_NAME = """
import shared_state

def policy(resource):
    shared_state.ADDED = True  # a new name in a shared helper: detected
    return True
"""


def test_the_shared_snapshot_is_reused_and_rebuilt_when_the_engine_process_changes(
        pack: Pack) -> None:
    pack.global_("shared_state", STATE_GLOBAL)
    pack.policy("b_reader", READER)
    engine = Engine.from_directories([str(pack.root)])
    assert _statuses(engine, [bucket("arn:aws:s3:::one")]) == {
        ("Test.b_reader", "arn:aws:s3:::one"): "PASS"}
    built = isolation._snapshot_cache[1]
    engine.evaluate([bucket("arn:aws:s3:::two")])
    assert isolation._snapshot_cache[1] is built  # nothing changed: the same snapshot

    # The engine process changes a watched module itself (as a late import binding a
    # submodule would): the children must not blame a policy for it.
    helper = sys.modules["shared_state"]
    helper.LOADED_LATER = True
    try:
        results = engine.evaluate([bucket("arn:aws:s3:::three")])
        assert [(r["status"], r["errorMessage"]) for r in results] == [("PASS", None)]
        assert isolation._snapshot_cache[1] is not built
    finally:
        del helper.LOADED_LATER

    # And after a rebuild a policy's own change to the helper is still caught.
    pack.policy("a_adds_a_name", ADDS_A_NAME)
    engine = Engine.from_directories([str(pack.root)])
    results = {r["policyId"]: r for r in engine.evaluate([bucket("arn:aws:s3:::four")])}
    assert results["Test.a_adds_a_name"]["status"] == "ERROR"
    assert results["Test.a_adds_a_name"]["errorMessage"] == (
        "IsolationError: policy changed shared state: module shared_state: 'ADDED' added")
    assert results["Test.b_reader"]["status"] == "PASS"

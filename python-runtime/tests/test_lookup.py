"""resource_lookup: the round trip through `retry`, BadLookup, the per-evaluation bound, Panther's
own helpers module, isolation of the supplied attributes, and unit tests without an inventory."""

from __future__ import annotations

import pytest
from conftest import Pack, bucket

from posture_engine import Engine
from posture_engine.lookup import MAX_LOOKUPS

FOLLOWS_REF = """\
from panther_aws_helpers import BadLookup, resource_lookup

def policy(resource):
    try:
        other = resource_lookup(resource["Ref"])
    except BadLookup:
        return False
    return other["Ok"] is True
"""


def engine(pack: Pack) -> Engine:
    built = Engine.from_directories([str(pack.root)])
    assert built.errors == []
    return built


def test_a_missing_id_is_asked_for_and_the_resource_left_out(pack: Pack) -> None:
    pack.policy("ref", FOLLOWS_REF)
    pack.policy("plain", "def policy(resource):\n    return True\n")
    resources = [bucket("arn:aws:s3:::a", Ref="arn:x:1"), bucket("arn:aws:s3:::b", Ref="arn:x:2"),
                 bucket("arn:aws:s3:::c")]
    reply = engine(pack).reply(resources[:2] + [bucket("arn:aws:s3:::c", Ref="arn:x:1")],
                               lookups={"arn:x:1": {"Ok": True}})
    # b waits for arn:x:2 (all of its results are left out); a and c are answered in full.
    assert reply["retry"] == [{"index": 1, "lookups": ["arn:x:2"]}]
    assert sorted((r["resourceId"], r["policyId"]) for r in reply["results"]) == [
        ("arn:aws:s3:::a", "Test.plain"), ("arn:aws:s3:::a", "Test.ref"),
        ("arn:aws:s3:::c", "Test.plain"), ("arn:aws:s3:::c", "Test.ref")]
    assert all(r["status"] == "PASS" for r in reply["results"])


def test_supplied_attributes_decide_and_null_is_bad_lookup(pack: Pack) -> None:
    pack.policy("ref", FOLLOWS_REF)
    resources = [bucket("arn:aws:s3:::a", Ref="arn:x:1"), bucket("arn:aws:s3:::b", Ref="arn:x:2"),
                 bucket("arn:aws:s3:::c", Ref="arn:x:3")]
    reply = engine(pack).reply(resources, lookups={"arn:x:1": {"Ok": True},
                                                   "arn:x:2": {"Ok": False}, "arn:x:3": None})
    assert "retry" not in reply
    assert [r["status"] for r in reply["results"]] == ["PASS", "FAIL", "FAIL"]


def test_catching_everything_does_not_hide_a_pending_lookup(pack: Pack) -> None:
    pack.policy("greedy", """\
        from panther_aws_helpers import resource_lookup

        def policy(resource):
            try:
                resource_lookup("arn:x:1")
            except BaseException:
                return True
            return True
        """)
    reply = engine(pack).reply([bucket("arn:aws:s3:::a")])
    assert reply["results"] == [] and reply["retry"] == [{"index": 0, "lookups": ["arn:x:1"]}]


def test_more_lookups_than_the_bound_is_an_error(pack: Pack) -> None:
    pack.policy("many", f"""\
        from panther_aws_helpers import resource_lookup

        def policy(resource):
            for i in range({MAX_LOOKUPS + 1}):
                resource_lookup(f"arn:x:{{i}}")
            return True
        """)
    supplied = {f"arn:x:{i}": {"i": i} for i in range(MAX_LOOKUPS + 1)}
    reply = engine(pack).reply([bucket("arn:aws:s3:::a")], lookups=supplied)
    [result] = reply["results"]
    assert result["status"] == "ERROR"
    assert f"more than {MAX_LOOKUPS} resource lookups" in result["errorMessage"]


def test_looked_up_attributes_are_read_only(pack: Pack) -> None:
    pack.policy("writer", """\
        from panther_aws_helpers import resource_lookup

        def policy(resource):
            resource_lookup("arn:x:1")["Ok"] = False
            return True
        """)
    pack.policy("reader", FOLLOWS_REF)
    reply = engine(pack).reply([bucket("arn:aws:s3:::a", Ref="arn:x:1")],
                               lookups={"arn:x:1": {"Ok": True}})
    by_policy = {r["policyId"]: r for r in reply["results"]}
    assert by_policy["Test.writer"]["status"] == "ERROR"
    assert by_policy["Test.reader"]["status"] == "PASS"


def test_a_write_that_bypasses_read_only_is_an_isolation_error(pack: Pack) -> None:
    pack.policy("sneaky", """\
        from panther_aws_helpers import resource_lookup

        def policy(resource):
            dict.__setitem__(resource_lookup("arn:x:1"), "Ok", False)
            return True
        """)
    pack.policy("reader", FOLLOWS_REF)
    reply = engine(pack).reply([bucket("arn:aws:s3:::a", Ref="arn:x:1")],
                               lookups={"arn:x:1": {"Ok": True}})
    by_policy = {r["policyId"]: r for r in reply["results"]}
    assert by_policy["Test.sneaky"]["status"] == "ERROR"
    assert "IsolationError" in by_policy["Test.sneaky"]["errorMessage"]
    assert by_policy["Test.reader"]["status"] == "PASS"


def test_a_packs_own_panther_aws_helpers_keeps_its_helpers_and_bad_lookup(pack: Pack) -> None:
    pack.global_("panther_aws_helpers", """\
        class BadLookup(Exception):
            pass

        def resource_lookup(resource_id):
            raise RuntimeError("would call Panther's resources API")

        def aws_strip_role_session_id(arn):
            return arn.rsplit("/", 1)[0]
        """)
    pack.policy("ref", """\
        from panther_aws_helpers import BadLookup, aws_strip_role_session_id, resource_lookup

        def policy(resource):
            try:
                resource_lookup(aws_strip_role_session_id(resource["Ref"]))
            except BadLookup:
                return False
            return True
        """)
    built = engine(pack)
    resources = [bucket("arn:aws:s3:::a", Ref="arn:x:1/session")]
    assert built.reply(resources)["retry"] == [{"index": 0, "lookups": ["arn:x:1"]}]
    assert built.reply(resources, lookups={"arn:x:1": None})["results"][0]["status"] == "FAIL"
    assert built.reply(resources, lookups={"arn:x:1": {}})["results"][0]["status"] == "PASS"


def test_without_an_inventory_a_lookup_is_an_error_that_says_to_mock_it(pack: Pack) -> None:
    pack.policy("ref", FOLLOWS_REF)
    [result] = engine(pack).evaluate([bucket("arn:aws:s3:::a", Ref="arn:x:1")])
    assert result["status"] == "ERROR"
    assert "mock it" in result["errorMessage"]


@pytest.mark.parametrize("lookups", [[], {"arn:x:1": "text"}])
def test_malformed_lookups_are_a_one_line_error(pack: Pack, lookups: object) -> None:
    pack.policy("ref", FOLLOWS_REF)
    with pytest.raises(ValueError, match="lookups"):
        engine(pack).reply([bucket("arn:aws:s3:::a", Ref="arn:x:1")], lookups=lookups)  # type: ignore[arg-type]

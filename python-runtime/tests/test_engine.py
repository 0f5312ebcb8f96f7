"""Engine.evaluate: result shape, isolation of faulty policies, optional functions, globals."""

from __future__ import annotations

import time
from typing import Any

import pytest
from conftest import Pack, bucket

from posture_engine import Engine

RESULT_KEYS = {"policyId", "resourceId", "resourceType", "status", "errorMessage", "severity",
               "title", "dedup", "suppressed", "alertContext", "description", "runbook",
               "reference", "destinations"}

NEEDS_ENCRYPTION = """\
def policy(resource):
    return resource["EncryptionRules"] is not None
"""


def by_policy(results: list[dict[str, Any]], resource_id: str) -> dict[str, dict[str, Any]]:
    return {r["policyId"]: r for r in results if r["resourceId"] == resource_id}


def engine_for(pack: Pack, timeout: float = 1.0) -> Engine:
    engine = Engine.from_directories([str(pack.root)], timeout=timeout)
    assert engine.errors == []
    return engine


def test_pass_and_fail_results_have_exactly_the_documented_keys(pack: Pack) -> None:
    pack.policy("enc", NEEDS_ENCRYPTION, Severity="High", DisplayName="Bucket encryption",
                Description="desc", Runbook="fix it", Reference="https://example.com",
                OutputIds=["slack-sec"])
    good = bucket("arn:aws:s3:::good", EncryptionRules=[{"x": 1}])
    bad = bucket("arn:aws:s3:::bad")
    results = engine_for(pack).evaluate([good, bad])
    assert [set(r) for r in results] == [RESULT_KEYS, RESULT_KEYS]
    assert results[0] == {
        "policyId": "Test.enc", "resourceId": "arn:aws:s3:::good", "resourceType": "AWS.S3.Bucket",
        "status": "PASS", "errorMessage": None, "severity": "High", "title": None, "dedup": None,
        "suppressed": False, "alertContext": None, "description": "desc", "runbook": "fix it",
        "reference": "https://example.com", "destinations": ["slack-sec"]}
    assert results[1]["status"] == "FAIL"
    assert results[1]["title"] == "Bucket encryption"
    assert results[1]["errorMessage"] is None


def test_policies_apply_by_resource_type_and_enabled(pack: Pack) -> None:
    pack.policy("s3", "def policy(r):\n    return True\n", ResourceTypes=["AWS.S3.Bucket"])
    pack.policy("any", "def policy(r):\n    return True\n", ResourceTypes=[])
    pack.policy("iam", "def policy(r):\n    return True\n", ResourceTypes=["AWS.IAM.User"])
    pack.policy("off", "def policy(r):\n    return True\n", Enabled=False)
    engine = engine_for(pack)
    assert engine.enabled_policy_ids == ["Test.any", "Test.iam", "Test.s3"]
    user = {"ResourceId": "arn:aws:iam::1:user/u", "ResourceType": "AWS.IAM.User"}
    results = engine.evaluate([bucket(), user])
    assert [(r["resourceType"], r["policyId"]) for r in results] == [
        ("AWS.S3.Bucket", "Test.any"), ("AWS.S3.Bucket", "Test.s3"),
        ("AWS.IAM.User", "Test.any"), ("AWS.IAM.User", "Test.iam")]
    assert engine.evaluate([]) == []


def test_faulty_policies_only_affect_their_own_pair(pack: Pack) -> None:
    pack.policy("a_raises", "def policy(r):\n    return r['NoSuchKey']\n")
    pack.policy("b_nonbool", "def policy(r):\n    return 1 if r['EncryptionRules'] else None\n")
    pack.policy("c_mutates", "def policy(r):\n    r['Tags'] = {}\n    return True\n")
    pack.policy("d_nested_mutation", """\
        def policy(r):
            r['Grants'].append({'Permission': 'READ'})
            return True
        """)
    pack.policy("e_slow", """\
        import time
        def policy(r):
            if r['Name'] == 'slow':
                time.sleep(5)
            return True
        """)
    pack.policy("f_import_error", "import definitely_missing_module\n"
                                  "def policy(r):\n    return True\n")
    pack.policy("g_good", NEEDS_ENCRYPTION)
    pack.policy("h_reads_after", """\
        def policy(r):
            return r['Tags'] is None and r['Grants'] == [{'Permission': 'FULL_CONTROL'}]
        """)
    engine = Engine.from_directories([str(pack.root)], timeout=0.2)
    assert len(engine.errors) == 1 and "f_import_error" in engine.errors[0]
    assert "ModuleNotFoundError: No module named 'definitely_missing_module'" in engine.errors[0]

    grants = [{"Permission": "FULL_CONTROL"}]
    slow = bucket("arn:aws:s3:::slow", Grants=grants)
    fast = bucket("arn:aws:s3:::fast", Grants=grants, EncryptionRules=[{"a": 1}])
    started = time.monotonic()
    results = engine.evaluate([slow, fast])
    assert time.monotonic() - started < 4  # the slow policy alone would take 5 s
    assert slow["Grants"] == grants and slow["Tags"] is None  # nothing leaked into the input

    slow_results, fast_results = by_policy(results, slow["ResourceId"]), by_policy(results, fast["ResourceId"])
    assert set(slow_results) == set(fast_results) == {
        "Test.a_raises", "Test.b_nonbool", "Test.c_mutates", "Test.d_nested_mutation",
        "Test.e_slow", "Test.f_import_error", "Test.g_good", "Test.h_reads_after"}
    for results_ in (slow_results, fast_results):
        assert results_["Test.a_raises"]["status"] == "ERROR"
        assert results_["Test.a_raises"]["errorMessage"] == ("KeyError: 'NoSuchKey' "
                                                          "(a_raises.py:2 in policy)")
        assert results_["Test.c_mutates"]["errorMessage"] == (
            "TypeError: resource is read-only (c_mutates.py:2 in policy)")
        assert results_["Test.d_nested_mutation"]["errorMessage"] == (
            "TypeError: resource is read-only (d_nested_mutation.py:2 in policy)")
        assert results_["Test.h_reads_after"]["status"] == "PASS"
        assert results_["Test.f_import_error"]["errorMessage"] == (
            "PolicyNotLoaded: f_import_error.py failed to import: "
            "ModuleNotFoundError: No module named 'definitely_missing_module'")
        assert all(r["title"] is None for r in results_.values() if r["status"] == "ERROR")
    assert slow_results["Test.b_nonbool"]["errorMessage"] == \
        "TypeError: policy returned NoneType, expected bool"
    assert fast_results["Test.b_nonbool"]["errorMessage"] == \
        "TypeError: policy returned int, expected bool"
    assert slow_results["Test.e_slow"] == {**slow_results["Test.e_slow"], "status": "ERROR",
                                           "errorMessage": "TimeoutError: policy exceeded 0.2s"}
    assert fast_results["Test.e_slow"]["status"] == "PASS"
    assert slow_results["Test.g_good"]["status"] == "FAIL"
    assert fast_results["Test.g_good"]["status"] == "PASS"


def test_timeout_cannot_be_swallowed(pack: Pack) -> None:
    pack.policy("stubborn", """\
        import time
        def policy(r):
            for _ in range(100):
                try:
                    time.sleep(1)
                except:  # noqa: E722 - deliberately swallows everything
                    pass
            return True
        """)
    pack.policy("catches_then_returns", """\
        import time
        def policy(r):
            try:
                time.sleep(5)
            except BaseException:
                return True
            return True
        """)
    started = time.monotonic()
    results = engine_for(pack, timeout=0.1).evaluate([bucket()])
    assert time.monotonic() - started < 4  # unguarded: 100 s and 5 s
    assert [r["errorMessage"] for r in results] == ["TimeoutError: policy exceeded 0.1s"] * 2


def test_sys_exit_in_a_policy_is_an_error_not_an_exit(pack: Pack) -> None:
    pack.policy("exits", "import sys\ndef policy(r):\n    sys.exit(3)\n")
    assert engine_for(pack).evaluate([bucket()])[0]["errorMessage"] == (
        "SystemExit: 3 (exits.py:3 in policy)")


def test_title_precedence(pack: Pack) -> None:
    failing = "def policy(r):\n    return False\n"
    pack.policy("with_function", failing + "def title(r):\n    return 'Bucket ' + r['Name']\n",
                DisplayName="Display")
    pack.policy("empty_title", failing + "def title(r):\n    return ''\n", DisplayName="Display")
    pack.policy("display_only", failing, DisplayName="Display")
    pack.policy("id_only", failing)
    pack.policy("long_title", failing + "def title(r):\n    return 'x' * 5000\n")
    results = by_policy(engine_for(pack).evaluate([bucket("arn:aws:s3:::b1")]), "arn:aws:s3:::b1")
    assert results["Test.with_function"]["title"] == "Bucket b1"
    assert results["Test.empty_title"]["title"] == "Display"
    assert results["Test.display_only"]["title"] == "Display"
    assert results["Test.id_only"]["title"] == "Test.id_only"
    assert results["Test.long_title"]["title"] == "x" * 1000


def test_dedup_and_alert_context_and_overrides(pack: Pack) -> None:
    pack.policy("full", """\
        def policy(r):
            return r['Name'] != 'bad'
        def dedup(r):
            return 'account-' + r['AccountId']
        def alert_context(r):
            return {'tags': r['Tags'], 'grants': r['Grants'], 'region': r['Region']}
        def severity(r):
            return 'critical'
        def description(r):
            return 'custom description'
        def reference(r):
            return 'https://ref'
        def runbook(r):
            return 'custom runbook'
        def destinations(r):
            return ['pager']
        """, Severity="Low", Description="spec description", OutputIds=["default-topic"])
    resource = bucket("arn:aws:s3:::bad", Name="bad", Tags={"a": "b"}, Grants=[{"P": 1}])
    engine = engine_for(pack)
    fail = engine.evaluate([resource])[0]
    assert fail == {**fail, "status": "FAIL", "dedup": "account-123456789012",
                    "alertContext": {"tags": {"a": "b"}, "grants": [{"P": 1}],
                                     "region": "us-east-1"},
                    "severity": "Critical", "description": "custom description",
                    "reference": "https://ref", "runbook": "custom runbook",
                    "destinations": ["pager"]}
    assert type(fail["alertContext"]["tags"]) is dict  # plain data, safe to serialize
    passing = engine.evaluate([bucket("arn:aws:s3:::ok")])[0]
    assert passing == {**passing, "status": "PASS", "dedup": None, "alertContext": None,
                       "severity": "Low", "description": "spec description",
                       "destinations": ["default-topic"]}


def test_optional_function_errors_are_reported_and_status_stays_fail(pack: Pack) -> None:
    pack.policy("broken_outputs", """\
        def policy(r):
            return False
        def title(r):
            return r['Missing']
        def dedup(r):
            return 42
        def alert_context(r):
            return ['not', 'a', 'dict']
        def severity(r):
            return 'Hgih'
        def destinations(r):
            return 'just-a-string'
        """, Severity="Medium", DisplayName="Fallback title")
    pack.policy("default_severity", "def policy(r):\n    return False\n"
                                    "def severity(r):\n    return 'DEFAULT'\n", Severity="Low")
    results = by_policy(engine_for(pack).evaluate([bucket()]), "arn:aws:s3:::b1")
    result = results["Test.broken_outputs"]
    assert result["status"] == "FAIL" and result["errorMessage"] is None
    assert result["title"] == "Fallback title" and result["dedup"] is None
    assert result["severity"] == "Medium" and result["alertContext"] is None
    assert result["outputErrors"] == [
        "title: KeyError: 'Missing' (broken_outputs.py:4 in title)",
        "dedup: TypeError: dedup returned int, expected str",
        "alert_context: TypeError: alert_context returned list, expected dict",
        "severity: ValueError: severity returned 'Hgih', expected one of Info, Low, Medium, "
        "High, Critical",
        "destinations: TypeError: destinations returned str, expected a list of str",
    ]
    assert results["Test.default_severity"]["severity"] == "Low"
    assert "outputErrors" not in results["Test.default_severity"]


def test_optional_functions_run_only_on_fail(pack: Pack) -> None:
    pack.policy("passing", "def policy(r):\n    return True\n"
                           "def title(r):\n    raise RuntimeError('must not run')\n")
    result = engine_for(pack).evaluate([bucket()])[0]
    assert result["status"] == "PASS" and result["title"] is None and "outputErrors" not in result


def test_suppressions_are_globs_on_resource_id(pack: Pack) -> None:
    pack.policy("supp", "def policy(r):\n    return False\n",
                Suppressions=["arn:aws:s3:::logs-*", "arn:aws:s3:::exact"])
    ids = ["arn:aws:s3:::logs-2024", "arn:aws:s3:::exact", "arn:aws:s3:::exactly", "arn:aws:s3:::data"]
    results = engine_for(pack).evaluate([bucket(i) for i in ids])
    assert [(r["resourceId"], r["suppressed"], r["status"]) for r in results] == [
        ("arn:aws:s3:::logs-2024", True, "FAIL"), ("arn:aws:s3:::exact", True, "FAIL"),
        ("arn:aws:s3:::exactly", False, "FAIL"), ("arn:aws:s3:::data", False, "FAIL")]


def test_globals_and_panther_helpers_are_importable(pack: Pack) -> None:
    # aws_globals imports a second global that sorts after it: load order must not matter.
    pack.global_("aws_globals", """\
        from zz_constants import PUBLIC_URI
        def is_public(grant):
            return grant.get('Grantee', {}).get('URI') == PUBLIC_URI
        """)
    pack.global_("zz_constants", "PUBLIC_URI = 'http://acs.amazonaws.com/groups/global/AllUsers'\n")
    pack.policy("uses_globals", """\
        import aws_globals
        from panther import deep_get
        def policy(r):
            return not any(aws_globals.is_public(g) for g in r.get('Grants') or [])
        def title(r):
            return deep_get(r, 'Tags', 'team', default='no team')
        """)
    public = bucket("arn:aws:s3:::pub", Grants=[{"Grantee": {
        "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"}])
    results = engine_for(pack).evaluate([public, bucket("arn:aws:s3:::priv")])
    assert [(r["status"], r["title"]) for r in results] == [("FAIL", "no team"), ("PASS", None)]


def test_a_failing_global_is_reported_and_its_users_too(pack: Pack) -> None:
    pack.global_("broken_helpers", "raise RuntimeError('boom')\n")
    pack.policy("needs_broken", "import broken_helpers\ndef policy(r):\n    return True\n")
    pack.policy("independent", "def policy(r):\n    return True\n")
    engine = Engine.from_directories([str(pack.root)])
    assert sorted(engine.errors) == [
        f"{pack.dir}/broken_helpers.json: Filename: {pack.dir}/broken_helpers.py failed to import: "
        "RuntimeError: boom",
        f"{pack.dir}/needs_broken.json: Filename: {pack.dir}/needs_broken.py failed to import: "
        "RuntimeError: boom",
    ]
    # The policy that could not import is ERROR on every resource of its types, never silent.
    assert [(r["policyId"], r["status"]) for r in engine.evaluate([bucket()])] == [
        ("Test.independent", "PASS"), ("Test.needs_broken", "ERROR")]


def test_prints_go_to_stderr_tagged(pack: Pack, capsys: pytest.CaptureFixture[str]) -> None:
    pack.policy("chatty", "def policy(r):\n    print('checking', r['Name'])\n    return True\n")
    engine_for(pack).evaluate([bucket("arn:aws:s3:::b9")])
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "[Test.chatty arn:aws:s3:::b9] checking b9\n" in captured.err


def test_policies_can_serialize_and_copy_the_resource(pack: Pack) -> None:
    pack.policy("panther_style", """\
        import copy, json
        def policy(r):
            text = json.dumps(r)
            mine = copy.deepcopy(r)
            mine['Tags'] = {'changed': 'yes'}
            plain = dict(r)
            return json.loads(text)['Name'] == plain['Name'] and r['Tags'] is None
        """)
    assert engine_for(pack).evaluate([bucket()])[0]["status"] == "PASS"


@pytest.mark.parametrize("resources, message", [
    ("nope", "resources must be a list, got str"),
    ([1], "resources[0] must be an object, got int"),
    ([{"ResourceType": "AWS.S3.Bucket"}], "resources[0].ResourceId must be a non-empty string"),
    ([bucket(), {"ResourceId": "x", "ResourceType": None}],
     "resources[1].ResourceType must be a non-empty string"),
])
def test_malformed_resources_raise_value_error(pack: Pack, resources: Any, message: str) -> None:
    pack.policy("p", "def policy(r):\n    return True\n")
    with pytest.raises(ValueError) as raised:
        engine_for(pack).evaluate(resources)
    assert str(raised.value) == message


def test_alert_context_becomes_plain_json_or_an_output_error(pack: Pack) -> None:
    pack.policy("ctx", """\
        import enum
        class Level(enum.IntEnum):
            HIGH = 3
        def policy(r):
            return False
        def alert_context(r):
            if r['Name'] == 'nan':
                return {'score': float('nan')}
            if r['Name'] == 'set':
                return {'ids': {1, 2}}
            return {'grants': r['Grants'], 'pair': (1, 'a'), 1: 'int key', None: True,
                    'level': Level.HIGH, 'nested': {'tags': r['Tags']}}
        """)
    resources = [bucket("arn:aws:s3:::ok", Grants=[{"Permission": "READ"}], Tags={"a": "b"}),
                 bucket("arn:aws:s3:::nan"), bucket("arn:aws:s3:::set")]
    ok, nan, as_set = engine_for(pack).evaluate(resources)
    assert ok["alertContext"] == {"grants": [{"Permission": "READ"}], "pair": [1, "a"],
                                  "1": "int key", "null": True, "level": 3,
                                  "nested": {"tags": {"a": "b"}}}
    assert type(ok["alertContext"]["grants"]) is list
    assert type(ok["alertContext"]["grants"][0]) is dict  # not the read-only resource
    assert type(ok["alertContext"]["level"]) is int
    assert nan["alertContext"] is None and nan["outputErrors"] == [
        "alert_context: ValueError: out of range float value nan is not JSON compliant"]
    assert as_set["outputErrors"] == ["alert_context: TypeError: Object of type set is not "
                                      "JSON serializable"]


def test_a_policy_may_change_its_own_module_and_use_joined_threads(pack: Pack) -> None:
    pack.policy("counts", """\
        calls = 0
        def policy(r):
            global calls
            calls += 1  # its own module: allowed
            return True
        """)
    pack.policy("pool", """\
        from concurrent.futures import ThreadPoolExecutor
        def policy(r):
            with ThreadPoolExecutor(2) as executor:
                return all(executor.map(lambda n: n >= 0, range(4)))
        """)
    results = engine_for(pack).evaluate([bucket(f"arn:aws:s3:::b{i}") for i in range(5)])
    assert {(r["status"], r["errorMessage"]) for r in results} == {("PASS", None)}


def test_limits_come_from_the_environment() -> None:
    from posture_engine.isolation import DEFAULT_GRACE, DEFAULT_MEMORY_MB, Limits

    assert Limits.from_env({}) == Limits(True, DEFAULT_GRACE, DEFAULT_MEMORY_MB)
    assert Limits.from_env({"POSTURE_ISOLATION": "off", "POSTURE_POLICY_GRACE": "2.5",
                            "POSTURE_POLICY_MEMORY_MB": "0"}) == Limits(False, 2.5, 0)
    assert Limits.from_env({"AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "512"}).memory_mb == 256
    with pytest.raises(ValueError, match="POSTURE_POLICY_GRACE must be positive"):
        Limits.from_env({"POSTURE_POLICY_GRACE": "0"})


def test_in_process_evaluation_gives_the_same_results(pack: Pack) -> None:
    from posture_engine.isolation import Limits

    pack.policy("enc", NEEDS_ENCRYPTION, DisplayName="Encryption")
    pack.policy("ctx", "def policy(r):\n    return False\n"
                       "def alert_context(r):\n    return {'n': 1.5, 'k': [1, 'a']}\n"
                       "def title(r):\n    raise KeyboardInterrupt\n")
    engine = engine_for(pack)
    resources = [bucket("arn:aws:s3:::a"), bucket("arn:aws:s3:::b", EncryptionRules=[{}])]
    isolated = engine.evaluate(resources)
    engine.limits = Limits(isolate=False)
    assert engine.evaluate(resources) == isolated
    assert isolated[0]["outputErrors"] == ["title: KeyboardInterrupt (ctx.py:6 in title)"]
    assert isolated[0]["alertContext"] == {"n": 1.5, "k": [1, "a"]}


def test_policies_do_not_see_the_engine_processs_aws_credentials(pack: Pack, monkeypatch: pytest.MonkeyPatch) -> None:
    # In Lambda the engine's role credentials are in its environment (to read the policy bundle);
    # the worker that runs policies drops them, and the engine process keeps them.
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "ASIAENGINEROLEMARKER")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "engine-secret-marker")
    monkeypatch.setenv("AWS_SESSION_TOKEN", "engine-token-marker")
    pack.policy("peek", """\
        import os
        def policy(r):
            return False
        def title(r):
            return ";".join(f"{k}={v}" for k, v in sorted(os.environ.items()) if k.startswith("AWS_"))
        """)
    results = engine_for(pack).evaluate([bucket("arn:aws:s3:::b")])
    title = results[0]["title"]
    assert "MARKER" not in title.upper() and "marker" not in title
    seen = dict(pair.split("=", 1) for pair in title.split(";"))
    assert not {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"} & seen.keys()
    assert {k: seen[k] for k in ("AWS_CONFIG_FILE", "AWS_EC2_METADATA_DISABLED", "AWS_SHARED_CREDENTIALS_FILE")} == {
        "AWS_CONFIG_FILE": "/dev/null", "AWS_EC2_METADATA_DISABLED": "true", "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    import os
    assert os.environ["AWS_SESSION_TOKEN"] == "engine-token-marker"

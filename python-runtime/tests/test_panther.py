"""The built-in `panther` helper module."""

from __future__ import annotations

from datetime import datetime, timezone

from posture_engine.panther import (deep_get, is_ip_in_network, is_open_cidr, listify,
                                    parse_timestamp)
from posture_engine.readonly import freeze


def test_deep_get() -> None:
    data = {"a": {"b": {"c": 1, "n": None}}, "l": [1]}
    assert deep_get(data, "a", "b", "c") == 1
    assert deep_get(freeze(data), "a", "b", "c") == 1
    assert deep_get(data, "a", "x", "c", default="d") == "d"
    assert deep_get(data, "a", "b", "n", default=0) == 0
    assert deep_get(data, "l", "x", default=[]) == []
    assert deep_get(None, "a") is None


def test_listify() -> None:
    assert listify(None) == []
    assert listify("s3:*") == ["s3:*"]
    assert listify(["a", "b"]) == ["a", "b"]
    assert listify(freeze(["a"])) == ["a"]
    assert listify({"Effect": "Allow"}) == [{"Effect": "Allow"}]


def test_parse_timestamp() -> None:
    utc = timezone.utc
    assert parse_timestamp("2024-06-01T12:30:00Z") == datetime(2024, 6, 1, 12, 30, tzinfo=utc)
    assert parse_timestamp("2024-06-01T14:30:00+02:00") == datetime(2024, 6, 1, 12, 30, tzinfo=utc)
    assert parse_timestamp("2024-06-01 12:30:00.123456789") == datetime(
        2024, 6, 1, 12, 30, 0, 123456, tzinfo=utc)
    assert parse_timestamp(datetime(2024, 1, 1)) == datetime(2024, 1, 1, tzinfo=utc)
    for empty in (None, "", "N/A", "no_information", "0001-01-01T00:00:00Z"):
        assert parse_timestamp(empty) is None


def test_ip_helpers() -> None:
    assert is_ip_in_network("10.1.2.3", ["192.168.0.0/16", "10.0.0.0/8"])
    assert is_ip_in_network("10.1.2.3", "10.1.2.0/24")
    assert not is_ip_in_network("10.1.2.3", ["192.168.0.0/16", "not-a-cidr"])
    assert is_ip_in_network("2001:db8::1", ["2001:db8::/32"])
    assert not is_ip_in_network("garbage", ["0.0.0.0/0"])
    assert is_open_cidr("0.0.0.0/0") and is_open_cidr("::/0")
    assert not is_open_cidr("10.0.0.0/8") and not is_open_cidr(None) and not is_open_cidr("x")

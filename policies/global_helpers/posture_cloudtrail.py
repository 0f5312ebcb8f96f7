"""Reading CloudTrail event selectors, shared by the CloudTrail.Meta policies.

Importable as `posture_cloudtrail`. Selectors are in the shape GetEventSelectors returns and the
scanner emits: basic {ReadWriteType, IncludeManagementEvents, DataResources,
ExcludeManagementEventSources}, advanced {Name, FieldSelectors [{Field, Equals, StartsWith,
EndsWith, NotEquals, NotStartsWith, NotEndsWith}]}, every member present (null when unset).
"""

from collections.abc import Mapping
from typing import Any

# DataResources values that select the objects of every bucket, current and future.
ALL_S3_OBJECTS = frozenset({"arn:aws:s3", "arn:aws:s3:::", "arn:aws-us-gov:s3",
                            "arn:aws-us-gov:s3:::", "arn:aws-cn:s3", "arn:aws-cn:s3:::"})


def _fields(selector: Any) -> dict[str, Mapping[str, Any]]:
    return {str(f.get("Field")): f for f in selector.get("FieldSelectors") or []
            if isinstance(f, Mapping)}


def _equals(field: Mapping[str, Any] | None) -> list[str]:
    return [str(v) for v in (field or {}).get("Equals") or []]


def _only_equals(field: Mapping[str, Any]) -> bool:
    """A field selector that narrows nothing beyond its Equals list."""
    return not any(field.get(k) for k in ("StartsWith", "EndsWith", "NotEquals",
                                          "NotStartsWith", "NotEndsWith"))


def _covers(read_only: Mapping[str, Any] | None, want_reads: bool | None) -> bool:
    """Whether an advanced selector's readOnly field (absent = both) admits the events wanted."""
    if read_only is None:
        return True
    if want_reads is None:
        return False  # both reads and writes are wanted, the selector keeps one kind
    return _only_equals(read_only) and ("true" if want_reads else "false") in _equals(read_only)


def logs_all_management_events(resource: Any) -> bool:
    """A logging multi-region trail records every read and write management event."""
    for selector in resource.get("GlobalEventSelectors") or []:
        if (selector.get("IncludeManagementEvents") is True
                and selector.get("ReadWriteType") == "All"
                and not selector.get("ExcludeManagementEventSources")):
            return True
    for selector in resource.get("GlobalAdvancedEventSelectors") or []:
        fields = _fields(selector)
        category = fields.get("eventCategory")
        if (category is not None and _equals(category) == ["Management"]
                and _covers(fields.get("readOnly"), None) and "eventSource" not in fields):
            return True
    return False


def logs_all_s3_object_events(resource: Any, reads: bool) -> bool:
    """A logging multi-region trail records S3 object-level read (or write) events of every
    bucket."""
    wanted = ("All", "ReadOnly") if reads else ("All", "WriteOnly")
    for selector in resource.get("GlobalEventSelectors") or []:
        if selector.get("ReadWriteType") not in wanted:
            continue
        for data in selector.get("DataResources") or []:
            if (data.get("Type") == "AWS::S3::Object"
                    and ALL_S3_OBJECTS & {str(v) for v in data.get("Values") or []}):
                return True
    for selector in resource.get("GlobalAdvancedEventSelectors") or []:
        fields = _fields(selector)
        if (_equals(fields.get("eventCategory")) == ["Data"]
                and _equals(fields.get("resources.type")) == ["AWS::S3::Object"]
                and "resources.ARN" not in fields and "eventName" not in fields
                and _covers(fields.get("readOnly"), reads)):
            return True
    return False

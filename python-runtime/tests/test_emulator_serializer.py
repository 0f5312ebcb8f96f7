"""The emulator launcher's patch 15 (src/local/moto_server.py): DynamoDB attribute values serialized
in one pass give exactly what moto's model-driven serializer gives, for every attribute type,
nested maps and lists, binary values and empty collections, in Query, GetItem and BatchGetItem
responses."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "src" / "local"))

import moto_server  # noqa: E402  (applies the patches)
from moto.core.responses import ActionContext  # noqa: E402
from moto.core.serialize import BaseJSONSerializer, get_serializer_class  # noqa: E402
from moto.core.utils import get_service_model  # noqa: E402
from moto.dynamodb.responses import DynamoHandler, DynamoResult  # noqa: E402


def _random_value(rng: random.Random, depth: int = 0) -> dict[str, Any]:
    kinds = ["S", "N", "B", "SS", "NS", "BS", "NULL", "BOOL"] + (["M", "L"] if depth < 3 else [])
    kind = rng.choice(kinds)
    word = lambda: "".join(rng.choice("abcé€🙂 \\\"\n") for _ in range(rng.randint(0, 6)))  # noqa: E731
    if kind == "S":
        return {"S": word()}
    if kind == "N":
        return {"N": str(rng.choice([0, -1, 3.25, 10**30, rng.randint(-999, 999)]))}
    if kind == "B":
        return {"B": bytes(rng.randrange(256) for _ in range(rng.randint(0, 8)))}
    if kind == "SS":
        return {"SS": [word() + str(i) for i in range(rng.randint(1, 3))]}
    if kind == "NS":
        return {"NS": [str(i) for i in range(rng.randint(1, 3))]}
    if kind == "BS":
        return {"BS": [bytes([i, rng.randrange(256)]) for i in range(rng.randint(1, 3))]}
    if kind == "NULL":
        return {"NULL": True}
    if kind == "BOOL":
        return {"BOOL": rng.random() < 0.5}
    if kind == "M":
        return {"M": {word() + str(i): _random_value(rng, depth + 1) for i in range(rng.randint(0, 3))}}
    return {"L": [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 3))]}


def _serialize(operation: str, result: dict[str, Any], patched: bool) -> Any:
    handler = DynamoHandler()
    service_model = get_service_model("dynamodb")
    serializer = get_serializer_class(service_model.service_name, service_model.protocol)
    context = ActionContext(service_model, service_model.operation_model(operation), serializer, handler)
    previous = BaseJSONSerializer._serialize_type_structure
    if not patched:
        BaseJSONSerializer._serialize_type_structure = moto_server._json_structure  # type: ignore[method-assign]
    try:
        _, headers, body = DynamoResult(result).execute_result(context)
    finally:
        BaseJSONSerializer._serialize_type_structure = previous  # type: ignore[method-assign]
    return headers, json.loads(body)


def test_patch_is_installed() -> None:
    assert BaseJSONSerializer._serialize_type_structure is moto_server._serialize_type_structure


def test_attribute_values_serialize_as_moto_serializes_them() -> None:
    rng = random.Random(15)
    for _ in range(200):
        items = [{f"a{i}": _random_value(rng) for i in range(rng.randint(1, 6))} for _ in range(rng.randint(0, 4))]
        cases = [
            ("Query", {"Count": len(items), "ScannedCount": len(items), "Items": items, "LastEvaluatedKey": {"pk": {"S": "k"}}}),
            ("GetItem", {"Item": items[0]} if items else {}),
            ("BatchGetItem", {"Responses": {"t": items}, "UnprocessedKeys": {}}),
        ]
        for operation, result in cases:
            assert _serialize(operation, result, True) == _serialize(operation, result, False), operation

"""moto server, patched where it differs from AWS in ways Posture's tests depend on (the local
emulator only):

1. An item-level undo log for DynamoDB TransactWriteItems (below).
2. EventBridge events keep their `account`. Real EventBridge delivers every event to its targets
   with `account` (the sender), and a member account's event reaches the central bus with
   `account` still naming the member. moto leaves `account` out of what it delivers to targets,
   and re-sends a cross-account event through PutEvents in the target account, which would stamp
   the target's own ID. The real-time path trusts only the envelope account, so without this every
   forwarded event (and every `accounts verify` canary) would be malformed or look forged.

DynamoDB transactions:

moto backs up every table a transaction touches with copy.deepcopy before running it, so one
transaction costs time in proportion to the whole table: with tens of thousands of compliance
items, each alert-opening transition took seconds and bench:scan could not reach 2,000
resources. Here a transaction instead snapshots only the items it names and puts them back if
it is cancelled, which keeps the all-or-nothing result while costing time per item. Transactions
also run one at a time: moto's own are not safe against each other.

Usage: python moto_server.py [moto.server arguments...]
"""

from __future__ import annotations

import copy
import sys
import threading
from typing import Any

import moto.dynamodb.models as ddb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models.dynamo_type import DynamoType
from moto.dynamodb.models.table import Table
from moto.events.models import Rule
from moto.events.utils import EventTemplateParser
from moto.server import main

_LOCK = threading.Lock()
_original = DynamoDBBackend.transact_write_items


class _TablesAreNotCopied:
    """Stands in for the `copy` module inside moto's DynamoDB models: a Table is 'copied' as
    itself (the undo log below restores items instead), anything else really is deep-copied."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        return value if isinstance(value, Table) else copy.deepcopy(value, memo)


def _key_of(table: Table, op: dict[str, Any]) -> tuple[DynamoType, DynamoType | None] | None:
    attrs = op.get("Key") or op.get("Item") or {}
    if table.hash_key_attr not in attrs:
        return None
    range_key = None
    if table.range_key_attr is not None:
        if table.range_key_attr not in attrs:
            return None
        range_key = DynamoType(attrs[table.range_key_attr])
    return DynamoType(attrs[table.hash_key_attr]), range_key


def _restore(table: Table, hash_key: DynamoType, range_key: DynamoType | None, before: Any) -> None:
    if table.range_key_attr is None:
        if before is None:
            table.items.pop(hash_key, None)
        else:
            table.items[hash_key] = before
    elif before is None:
        table.items.get(hash_key, {}).pop(range_key, None)
    else:
        table.items[hash_key][range_key] = before


def transact_write_items(self: DynamoDBBackend, transact_items: list[dict[str, Any]]) -> None:
    with _LOCK:
        undo: list[tuple[Table, DynamoType, DynamoType | None, Any]] = []
        for entry in transact_items:
            _, op = next(iter(entry.items()))
            table = self.tables.get(op.get("TableName")) if isinstance(op, dict) else None
            key = _key_of(table, op) if table is not None else None
            if table is None or key is None:
                continue  # moto itself rejects the malformed operation
            before = table.get_item(*key) if key[1] is not None or table.range_key_attr is None else None
            undo.append((table, key[0], key[1], copy.deepcopy(before)))
        try:
            _original(self, transact_items)
        except Exception:
            for table, hash_key, range_key, before in reversed(undo):
                _restore(table, hash_key, range_key, before)
            raise


ddb_models.copy = _TablesAreNotCopied  # type: ignore[assignment]
DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]

_FORWARDED = threading.local()
_send_to_targets = Rule.send_to_targets


def send_to_targets(self: Rule, original_event: dict[str, Any], transform_input: bool = True) -> None:
    """Delivers as moto does, but an event re-sent to another account's bus keeps its sender."""
    sender = getattr(_FORWARDED, "account", None)
    if sender is not None:
        original_event = {**original_event, "account": sender}
    previous = sender
    _FORWARDED.account = original_event.get("account")
    try:
        _send_to_targets(self, original_event, transform_input)  # type: ignore[arg-type]
    finally:
        _FORWARDED.account = previous


Rule.send_to_targets = send_to_targets  # type: ignore[method-assign, assignment]
# The envelope as EventBridge delivers it, `account` included.
EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE = EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE.replace(
    '"version": "0", ', '"version": "0", "account": "<account>", '
)
assert '"account": "<account>"' in EventTemplateParser.DEFAULT_EVENT_INPUT_TEMPLATE

if __name__ == "__main__":
    main(sys.argv[1:])

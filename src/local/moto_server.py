"""moto server with an item-level undo log for DynamoDB TransactWriteItems (the local emulator only).

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

if __name__ == "__main__":
    main(sys.argv[1:])

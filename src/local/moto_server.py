"""moto server, patched where it differs from AWS in ways Posture's tests depend on (the local
emulator only):

1. An item-level undo log for DynamoDB TransactWriteItems (below).
2. EventBridge events keep their `account`. Real EventBridge delivers every event to its targets
   with `account` (the sender), and a member account's event reaches the central bus with
   `account` still naming the member. moto leaves `account` out of what it delivers to targets,
   and re-sends a cross-account event through PutEvents in the target account, which would stamp
   the target's own ID. The real-time path trusts only the envelope account, so without this every
   forwarded event (and every `accounts verify` canary) would be malformed or look forged.
3-9. What the deployed-system rehearsal (test/deployed, `npm run test:deployed`) needs to run the
   synthesized stack: CloudFormation fixes (EventBus `Ref`, state machines in the interpreter's
   backend), the Step Functions interpreter's aws-sdk casing and repeated starts, and — only when
   their environment variables are set — Lambda Invoke forwarded to the rehearsal's runtimes
   (POSTURE_LAMBDA_ROUTER), queue URLs on its proxy (POSTURE_SQS_URL_BASE) and scaled Retry waits
   (POSTURE_SFN_TIME_SCALE). Each is described where it is applied, below.
10. JSON-protocol calls whose X-Amz-Target is the short form the AWS SDK for JavaScript v3 sends
   (`CloudTrail_20131101.DescribeTrails`; AWS accepts it) are routed like the long form
   (`com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.DescribeTrails`). moto 5.2.6's request
   router knows only the long one and answers 404 with no body, which the SDK can only report as
   `Unknown: UnknownError`: every CloudTrail scope failed. (moto 5.2.1 routes by URL and has no such router.)
11. IAM access keys of a user tagged `posture-emulator:access-key-age-days` = N are dated N days
   back (CreateDate, and so the credential report's access_key_N_last_rotated), with the user's
   own creation date: the demo shows a key older than 90 days without waiting 90 days.
12. No access log line per request (POSTURE_EMULATOR_LOG=1 keeps it): below.
13. DynamoDB Query reads one partition: moto answers every Query — on the table or on an index —
   by sorting and filtering ALL the table's items, so with a million compliance results one
   index read took seconds whatever the caller asked. Below, a Query reads only the items of its
   partition (the table's own, or a per-GSI map kept in step with every write), narrowed to the
   run of it the key condition and page select; moto's code then sorts, pages, projects and
   filters them exactly as before. POSTURE_EMULATOR_FULL_QUERY=1 turns this off (comparisons).
14. A new DynamoDB item's 400 KB check is made once, on the whole item: moto re-measured every
   attribute already set for each attribute it added (quadratic: ~70% of a PutItem's time for a
   20-attribute compliance item), with the same outcome.
15. DynamoDB attribute values are written to the response as the wire form they already are:
   moto's model-driven serializer walked the AttributeValue shape member by member, alias by
   alias, for every attribute of every item — about 3 ms per compliance item, 200 ms for a page
   of 50, seconds for a 1 MB Query page.

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
import logging
import os
import sys
import threading
import time
import urllib.parse
import urllib.request
import uuid
from datetime import timedelta
from typing import Any

import moto.dynamodb.models as ddb_models
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.exceptions import ItemSizeTooLarge
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.dynamodb.models.utilities import bytesize
from moto.dynamodb.models.table import Table
from moto.awslambda.models import LambdaBackend, LambdaFunction
from moto.dynamodb.models import dynamodb_backends
from moto.events.models import EventBus, Rule
from moto.sqs.models import Queue as SqsQueue
from moto.sqs.models import sqs_backends
import moto.stepfunctions.models as sfn_models
from moto.stepfunctions.responses import get_backend as sfn_get_backend
from moto.stepfunctions.parser.asl.component.state.exec.state_task.service.state_task_service_aws_sdk import StateTaskServiceAwsSdk
from moto.stepfunctions.parser.utils import camel_to_snake_case
import botocore.session
from moto.stepfunctions.parser.models import StepFunctionsParserBackend
import moto.stepfunctions.parser.asl.component.common.retry.retrier_decl as sfn_retrier
from moto.events.utils import EventTemplateParser
from moto.iam.models import IAMBackend
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
                _resync(table, hash_key, range_key)  # patch 13's GSI partitions
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


# 3. CloudFormation: `Ref` of an AWS::Events::EventBus is its name (moto has no physical ID for it,
#    so a rule on a custom bus created by the same template crashed the stack).
EventBus.physical_resource_id = property(lambda self: self.name)  # type: ignore[attr-defined]

# 4. Lambda Invoke runs code only in the deployed-system rehearsal (test/deployed): when
#    POSTURE_LAMBDA_ROUTER names an HTTP endpoint, Invoke (from an SDK, or from the Step Functions
#    interpreter's Lambda tasks) is forwarded to `<router>/invoke/<function name>`, which runs the
#    function's bundle as Lambda would and answers with its payload (header X-Function-Error on a
#    function error). The rehearsal also polls SQS and the DynamoDB stream as Lambda's event source
#    mappings do (batches, partial batch failures), so moto's own one-message-at-a-time delivery is
#    switched off there. Without the variable moto behaves as before.
_ROUTER = os.environ.get("POSTURE_LAMBDA_ROUTER")
if _ROUTER:
    _original_create_esm = LambdaBackend.create_event_source_mapping

    def invoke(self: LambdaFunction, body: str, request_headers: Any, response_headers: Any) -> bytes:
        req = urllib.request.Request(
            f"{_ROUTER}/invoke/{urllib.parse.quote(self.function_name)}",
            data=(body or "{}").encode() if isinstance(body or "{}", str) else body,
            headers={"Content-Type": "application/json", "X-Invocation-Type": request_headers.get("x-amz-invocation-type", "RequestResponse")},
            method="POST",
        )
        with urllib.request.urlopen(req, timeout=900) as res:
            payload = res.read()
            error = res.headers.get("X-Function-Error")
        if error:
            response_headers["x-amz-function-error"] = error
        return payload

    def create_event_source_mapping(self: LambdaBackend, spec: dict[str, Any]) -> Any:
        esm = _original_create_esm(self, spec)
        for backend in (sqs_backends[self.account_id][self.region_name],):
            for queue in backend.queues.values():
                queue.lambda_event_source_mappings.clear()
        for table in dynamodb_backends[self.account_id][self.region_name].tables.values():
            table.lambda_event_source_mappings.clear()
        return esm

    LambdaFunction.invoke = invoke  # type: ignore[method-assign, assignment]
    LambdaBackend.create_event_source_mapping = create_event_source_mapping  # type: ignore[method-assign]


class _StateMachinesWhereExecuted:
    """5. With `stepfunctions: execute_state_machine` (POST /moto-api/config), moto's API serves
    state machines from its ASL interpreter's backend, but its CloudFormation still created them
    in the plain backend, so a deployed state machine could not be started. CloudFormation now
    creates them in whichever backend the API serves. (The interpreter's own AWS calls, Lambda
    tasks included, go to http://localhost:$MOTO_PORT, which the launcher sets.)"""

    def __getitem__(self, account_id: str) -> Any:
        class _Regions:
            def __getitem__(self, region: str) -> Any:
                return sfn_get_backend(account_id, region)

        return _Regions()


sfn_models.stepfunctions_backends = _StateMachinesWhereExecuted()  # type: ignore[assignment]


def _operation_model(task: StateTaskServiceAwsSdk, service: str | None, action: str | None) -> Any:
    model = botocore.session.get_session().get_service_model(task._get_boto_service_name(service))
    wanted = task._get_boto_service_action(action)
    name = next(n for n in model.operation_names if camel_to_snake_case(n) == wanted)
    return model.operation_model(name)


def _aws_sdk_parameters(self: StateTaskServiceAwsSdk, parameters: dict[str, Any], boto_service_name: str | None = None,
                        service_action_name: str | None = None) -> None:
    """6. The aws-sdk integration (e.g. `aws-sdk:sfn:describeMapRun`) names parameters and results
    in PascalCase (`MapRunArn`, `ExecutionCounts.Failed`) whatever the API's own casing; the
    vendored interpreter left both conversions as no-ops, so such a task failed with
    KeyError 'MapRunArn'. Here they use the interpreter's own converters and botocore's model."""
    self._to_boto_request(parameters, _operation_model(self, boto_service_name, service_action_name).input_shape)


def _aws_sdk_response(self: StateTaskServiceAwsSdk, response: Any, boto_service_name: str | None = None,
                      service_action_name: str | None = None) -> None:
    self._from_boto_response(response, _operation_model(self, boto_service_name, service_action_name).output_shape)


StateTaskServiceAwsSdk._normalise_parameters = _aws_sdk_parameters  # type: ignore[method-assign]
StateTaskServiceAwsSdk._normalise_response = _aws_sdk_response  # type: ignore[method-assign]

_start_execution = StepFunctionsParserBackend.start_execution
_START_LOCK = threading.Lock()


def start_execution(self: StepFunctionsParserBackend, state_machine_arn: str, name: Any = None, execution_input: Any = None,
                    trace_header: Any = None) -> Any:
    """8. StartExecution without a name (as EventBridge Scheduler sends it) gets a generated one, as
    in Step Functions; the interpreter's backend named every such execution 'None', so a second
    unnamed start failed with ExecutionAlreadyExists. And the interpreter deep-copies the state
    machine for each execution, its earlier executions included, whose worker threads hold locks
    ("cannot pickle '_thread.RLock'"): the second start of any state machine failed. The copy is
    now taken without them (name idempotency is checked first, against all of them)."""
    name = name or str(uuid.uuid4())
    machine = self.describe_state_machine(state_machine_arn)
    existing = machine._handle_name_input_idempotency(name, execution_input)
    if existing is not None:
        return existing
    with _START_LOCK:
        earlier = machine.executions
        machine.executions = []
        try:
            return _start_execution(self, state_machine_arn, name, execution_input, trace_header)
        finally:
            machine.executions = earlier + machine.executions


StepFunctionsParserBackend.start_execution = start_execution  # type: ignore[method-assign]

# 9. POSTURE_SQS_URL_BASE (rehearsal only): the URL CloudFormation gives a queue (its `Ref`) starts
#    with this base instead of https://sqs.<region>.amazonaws.com. The AWS SDK sends SQS calls to the
#    queue URL's host unless its endpoint is set in code (AWS_ENDPOINT_URL does not count), so a
#    deployed function handed a real-looking queue URL would leave the emulator.
_SQS_URL_BASE = os.environ.get("POSTURE_SQS_URL_BASE")
if _SQS_URL_BASE:
    SqsQueue.physical_resource_id = property(lambda self: f"{_SQS_URL_BASE}/{self.account_id}/{self.name}")  # type: ignore[assignment]

# 7. POSTURE_SFN_TIME_SCALE (rehearsal only): the interpreter's Retry waits are multiplied by it, so
#    a definition's real backoff (15 s, ×3, …) is exercised in a test's time. Unset: real waits.
_TIME_SCALE = float(os.environ.get("POSTURE_SFN_TIME_SCALE") or "1")
if _TIME_SCALE != 1:

    class _ScaledTime:
        def __getattr__(self, name: str) -> Any:
            return getattr(time, name)

        @staticmethod
        def sleep(seconds: float) -> None:
            time.sleep(seconds * _TIME_SCALE)

    sfn_retrier.time = _ScaledTime()  # type: ignore[assignment]

# 10. Short X-Amz-Target names (moto >= 5.2.6 routes JSON calls by the long form only).
try:
    from moto.core.routing import JSONRouter
except ImportError:  # moto < 5.2.6 matches JSON calls without it
    JSONRouter = None  # type: ignore[assignment, misc]
if JSONRouter is not None:
    _json_router_init = JSONRouter.__init__

    def _json_router_with_short_targets(self: Any, service_model: Any) -> None:
        _json_router_init(self, service_model)
        prefix = service_model.metadata.get("targetPrefix") or ""
        short = prefix.rsplit(".", 1)[-1]
        if short != prefix:
            for name in service_model.operation_names:
                self._operations_by_target.setdefault(f"{short}.{name}", service_model.operation_model(name))

    JSONRouter.__init__ = _json_router_with_short_targets  # type: ignore[method-assign]

# 11. Back-dated access keys for users that carry the emulator-only age tag (the demo seed's).
ACCESS_KEY_AGE_TAG = "posture-emulator:access-key-age-days"
_create_access_key = IAMBackend.create_access_key


def create_access_key(self: IAMBackend, user_name: str, prefix: str = "AKIA", status: str = "Active") -> Any:
    key = _create_access_key(self, user_name, prefix=prefix, status=status)
    user = self.get_user(user_name)
    days = next((t["Value"] for t in self.tagger.list_tags_for_resource(user.arn)["Tags"] if t["Key"] == ACCESS_KEY_AGE_TAG), None)
    if days is not None:
        age = timedelta(days=int(days))
        key.create_date = key.create_date - age
        if user.create_date > key.create_date:
            user.create_date = key.create_date
    return key


IAMBackend.create_access_key = create_access_key  # type: ignore[method-assign]
# 12. No access log line per request: werkzeug writes one to stderr for every request at INFO,
#    about a tenth of the emulator's CPU during a scan (bench:peers' profile of the embedded
#    store), and the launcher reads each through its pipe. Errors and tracebacks (WARNING and
#    above) are still written; POSTURE_EMULATOR_LOG=1 keeps the access log too.
if os.environ.get("POSTURE_EMULATOR_LOG") != "1":
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


# 13. Query reads one partition. moto's Table.query starts from `self.all_items()` (the whole
#    table, sorted) and keeps the items whose key matches; here, for the duration of one Query,
#    `all_items` answers with the candidates of the queried partition instead, sorted the same
#    way, and moto's own code does the rest (key and range conditions, order, paging, projection,
#    filter) — so answers are moto's. A table Query's candidates are `table.items[hash]` sorted by
#    its sort key (each value cast once), cut to the key condition's run and the page (as below). A GSI
#    Query's come from a map, per table and GSI hash attribute, from the attribute's value to the
#    keys of the items holding it, built on the table's first GSI Query and then kept in step by
#    re-reading the item after every write path moto has: Table.put_item / delete_item (PutItem,
#    BatchWriteItem, transactions, PartiQL, ImportTable, UpdateItem on a new item), UpdateItem
#    (which changes the stored item in place), and patch 1's transaction undo. Deleting a table
#    drops its map with it; a restored table builds its own; moto does not expire items by TTL.
#    The map may hold a stale key (moto re-checks every candidate) but never misses one.
_PARTITIONS_LOCK = threading.RLock()
_QUERY_CANDIDATES = threading.local()
_UNHASHABLE = object()  # a value that cannot be a GSI key (moto still rejects or skips it) is a candidate everywhere


def _cast(value: DynamoType) -> Any:
    """DynamoType.cast_value, without its chain of type tests for the scalar types it returns as is."""
    return value.value if value.type in _AS_IS else value.cast_value


_AS_IS = frozenset({"S", "B", "BOOL"})


def _frozen(value: DynamoType | None) -> Any:
    if value is None:
        return None
    try:
        frozen = (value.type, _cast(value))
        hash(frozen)
        return frozen
    except TypeError:
        return _UNHASHABLE


class _Partitions:
    """One table's GSI partitions: for each GSI hash attribute, value -> {item key: the stored
    item}; and per item key the values it is filed under (so a re-read knows where to move it from).
    Every write re-files the item it touched, so a partition holds the items as stored now."""

    def __init__(self, table: Table, attrs: tuple[str, ...]) -> None:
        self.attrs = attrs
        self.by_value: dict[str, dict[Any, dict[tuple[DynamoType, DynamoType | None], Item]]] = {a: {} for a in attrs}
        self.filed: dict[tuple[DynamoType, DynamoType | None], tuple[Any, ...]] = {}
        # (index name, value) -> the partition in moto's query order ('' : the table's own
        # partition of that hash key); emptied by every write.
        self.sorted: dict[tuple[str, Any], list[Item]] = {}
        for item in _all_items_unsorted(table):
            key = (item.hash_key, item.range_key)
            values = tuple(_frozen(item.attrs.get(a)) for a in attrs)
            if any(v is not None for v in values):
                self.filed[key] = values
                for attr, value in zip(attrs, values):
                    if value is not None:
                        self.by_value[attr].setdefault(value, {})[key] = item

    def sync(self, table: Table, key: tuple[DynamoType, DynamoType | None]) -> None:
        item = _stored_item(table, *key)
        now = tuple(_frozen(item.attrs.get(a)) for a in self.attrs) if item is not None else None
        before = self.filed.get(key)
        for attr, old, new in zip(self.attrs, before or (None,) * len(self.attrs), now or (None,) * len(self.attrs)):
            if old == new:
                if new is not None:
                    self.by_value[attr][new][key] = item  # type: ignore[assignment]  # the same place, maybe a new Item
                continue
            if old is not None:
                bucket = self.by_value[attr].get(old)
                if bucket is not None:
                    bucket.pop(key, None)
                    if not bucket:
                        del self.by_value[attr][old]
            if new is not None:
                self.by_value[attr].setdefault(new, {})[key] = item  # type: ignore[assignment]
        if now is None or all(v is None for v in now):
            self.filed.pop(key, None)
        else:
            self.filed[key] = now


def _all_items_unsorted(table: Table) -> list[Item]:
    if table.range_key_attr:
        return [item for part in table.items.values() if isinstance(part, dict) for item in part.values() if isinstance(item, Item)]
    return [item for item in table.items.values() if isinstance(item, Item)]


def _stored_item(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Item | None:
    part = table.items.get(hash_key)  # .get: `items` is a defaultdict
    if table.range_key_attr:
        item = part.get(range_key) if isinstance(part, dict) and range_key is not None else None
    else:
        item = part
    return item if isinstance(item, Item) else None


def _gsi_hash_attrs(table: Table) -> tuple[str, ...]:
    return tuple(dict.fromkeys(k["AttributeName"] for i in table.global_indexes for k in i.schema if k["KeyType"] == "HASH"))


def _partitions(table: Table) -> _Partitions:
    """The table's map, built on first use, rebuilt when its GSIs' hash attributes change."""
    attrs = _gsi_hash_attrs(table)
    current: _Partitions | None = table.__dict__.get("_posture_partitions")
    if current is None or current.attrs != attrs:
        current = _Partitions(table, attrs)
        table.__dict__["_posture_partitions"] = current
    return current


def _resync(table: Table, hash_key: DynamoType, range_key: DynamoType | None) -> None:
    with _PARTITIONS_LOCK:
        partitions = _partitions(table)
        partitions.sync(table, (hash_key, range_key))
        partitions.sorted.clear()  # any write may move an item within a sorted partition


_table_put_item = Table.put_item
_table_delete_item = Table.delete_item
_table_query = Table.query
_table_all_items = Table.all_items
_backend_update_item = DynamoDBBackend.update_item


def _put_item(self: Table, item_attrs: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    with _PARTITIONS_LOCK:
        try:
            return _table_put_item(self, item_attrs, *args, **kwargs)
        finally:
            if self.hash_key_attr in item_attrs:
                range_key = DynamoType(item_attrs[self.range_key_attr]) if self.range_key_attr and self.range_key_attr in item_attrs else None
                _resync(self, DynamoType(item_attrs[self.hash_key_attr]), range_key)


def _delete_item(self: Table, hash_key: DynamoType, range_key: DynamoType | None) -> Any:
    with _PARTITIONS_LOCK:
        try:
            return _table_delete_item(self, hash_key, range_key)
        finally:
            _resync(self, hash_key, range_key)


def _update_item(self: DynamoDBBackend, table_name: str, key: dict[str, Any], *args: Any, **kwargs: Any) -> Any:
    with _PARTITIONS_LOCK:
        try:
            return _backend_update_item(self, table_name, key, *args, **kwargs)
        finally:
            table = self.tables.get(table_name)
            if table is not None:
                _resync_key_dict(table, key)


def _resync_key_dict(table: Table, key: Any) -> None:
    if isinstance(key, dict) and table.hash_key_attr in key:
        range_key = DynamoType(key[table.range_key_attr]) if table.range_key_attr and table.range_key_attr in key else None
        _resync(table, DynamoType(key[table.hash_key_attr]), range_key)
    else:  # a key shape moto accepts but we cannot read: rebuild rather than guess
        table.__dict__.pop("_posture_partitions", None)


def _all_items(self: Table) -> list[Item]:
    candidates = getattr(_QUERY_CANDIDATES, "value", None)
    if candidates is not None and candidates[0] is self:
        return candidates[1]  # type: ignore[no-any-return]
    return _table_all_items(self)


def _sorted_as_moto_does(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda x: (x.hash_key, x.range_key) if x.range_key else x.hash_key)


def _query_candidates(table: Table, hash_key: DynamoType | None, range_comparison: str | None, range_objs: list[DynamoType],
                      limit: int | None, exclusive_start_key: dict[str, Any] | None, scan_index_forward: bool, index_name: str | None,
                      kwargs: dict[str, Any]) -> list[Item] | None:
    """The items one Query can match (None: read the whole table, as moto does)."""
    if not index_name:
        if hash_key is None:
            return None
        part = _table_partition(table, hash_key)
        if not table.range_key_attr:
            return part
        # Only the key condition's run of the partition; the page's cut (ExclusiveStartKey, Limit)
        # too when no filter follows (moto filters before it limits, so a filter needs the run).
        if _has_filter(kwargs):
            return _narrowed(table, part, table.range_key_attr, range_comparison, range_objs, None, None, True,
                             [table.hash_key_attr], [table.range_key_attr])
        return _narrowed(table, part, table.range_key_attr, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                         [table.hash_key_attr], [table.range_key_attr])
    index = next((i for i in table.all_indexes() if i.name == index_name), None)
    hash_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "HASH"] if index is not None else []
    range_attrs = [k["AttributeName"] for k in index.schema if k["KeyType"] == "RANGE"] if index is not None else []
    values = dict(kwargs.get("hash_key_conditions") or [])
    if not hash_attrs or hash_attrs[0] not in values:
        return None  # moto reports the error, or the query has no partition to read
    attr, value = hash_attrs[0], values[hash_attrs[0]]
    if attr == table.hash_key_attr:  # a local secondary index: the table's own partition
        return _table_partition(table, value)
    if index not in table.global_indexes:
        return None
    with _PARTITIONS_LOCK:
        partitions = _partitions(table)
        simple = len(hash_attrs) == 1 and len(range_attrs) == 1 and len(kwargs.get("range_key_conditions") or []) <= 1 and not kwargs.get("filter_kwargs_present")
        cached = partitions.sorted.get((index_name, _frozen(value))) if simple else None
        if cached is None:
            by_value = partitions.by_value[attr]
            items = list(by_value.get(_frozen(value), {}).values()) + list(by_value.get(_UNHASHABLE, {}).values())
            if not simple:
                return _sorted_as_moto_does(items)
            # moto's own candidate rule (items holding the index's range key) and order (moto's sort
            # keys end with the table's key, so the order is total and the all_items pre-sort moot).
            items = [i for i in items if i.attrs.get(range_attrs[0])]
            cached = _sorted_by_index(table, [hash_attrs[0], table.hash_key_attr], [range_attrs[0], table.range_key_attr], items)
            partitions.sorted[(index_name, _frozen(value))] = cached
    return _narrowed(table, cached, range_attrs[0], range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                     [hash_attrs[0], table.hash_key_attr], [range_attrs[0], table.range_key_attr])


def _sorted_by_index(table: Table, hash_attrs: list[str], range_attrs: list[str | None], items: list[Item]) -> list[Item]:
    """moto's Table.sorted_items, comparing each value's cast_value once computed instead of
    DynamoType objects (whose < compares cast_value, recomputed per comparison): the same order.
    Values moto could not compare either (mixed types) fall back to moto's sort, and its error."""
    attrs = table._generate_attr_to_sort_by(hash_attrs, range_attrs)
    try:
        return sorted(items, key=lambda x: tuple(_cast(x.attrs[a]) for a in attrs))
    except TypeError:
        return table.sorted_items(hash_attrs, range_attrs, list(items))


def _first_false(items: list[Item], before: Any) -> int:
    """Index of the first item for which `before` is false (`before` holds for a prefix)."""
    lo, hi = 0, len(items)
    while lo < hi:
        mid = (lo + hi) // 2
        if before(items[mid]):
            lo = mid + 1
        else:
            hi = mid
    return lo


# A key condition on the sort key selects one contiguous run of a partition sorted by it: the run
# starts after the items `_BEFORE` holds for and ends before those `_WITHIN` does not hold for
# (on the value moto compares, DynamoType.cast_value).
_BEFORE: dict[str, Any] = {
    "EQ": lambda v, a: v < a[0], "=": lambda v, a: v < a[0], "GE": lambda v, a: v < a[0], ">=": lambda v, a: v < a[0],
    "GT": lambda v, a: v <= a[0], ">": lambda v, a: v <= a[0], "BETWEEN": lambda v, a: v < a[0],
    "BEGINS_WITH": lambda v, a: v < a[0], "LT": lambda v, a: False, "<": lambda v, a: False, "LE": lambda v, a: False, "<=": lambda v, a: False,
}
_WITHIN: dict[str, Any] = {
    "EQ": lambda v, a: v <= a[0], "=": lambda v, a: v <= a[0], "LE": lambda v, a: v <= a[0], "<=": lambda v, a: v <= a[0],
    "LT": lambda v, a: v < a[0], "<": lambda v, a: v < a[0], "BETWEEN": lambda v, a: v <= a[1],
    "BEGINS_WITH": lambda v, a: v < a[0] or v.startswith(a[0]), "GT": lambda v, a: True, ">": lambda v, a: True,
    "GE": lambda v, a: True, ">=": lambda v, a: True,
}


def _narrowed(table: Table, ordered: list[Item], range_attr: str, range_comparison: str | None, range_objs: list[DynamoType],
              limit: int | None, exclusive_start_key: dict[str, Any] | None, scan_index_forward: bool,
              hash_attrs: list[str], range_attrs: list[str | None]) -> list[Item]:
    """The part of a sorted partition moto will read for one page: the key condition's run, after
    the ExclusiveStartKey, at most Limit + 1 items (the one past the page tells moto there is more)."""
    run = ordered
    if range_comparison:
        if range_comparison not in _BEFORE:
            return ordered
        args = [o.cast_value for o in range_objs]
        try:
            lo = _first_false(run, lambda i: _BEFORE[range_comparison](_cast(i.attrs[range_attr]), args))
            hi = _first_false(run, lambda i: _WITHIN[range_comparison](_cast(i.attrs[range_attr]), args))
        except TypeError:  # values moto cannot compare either: let it answer
            return ordered
        run = run[lo:hi] if lo < hi else []
    walk = run if scan_index_forward else run[::-1]
    if exclusive_start_key is not None:
        walk = walk[_first_false(walk, lambda i: table._item_comes_before_dct(i, exclusive_start_key, hash_attrs, range_attrs, scan_index_forward)):]
    if limit is not None:
        walk = walk[: limit + 1]
    return walk if scan_index_forward else walk[::-1]


def _table_partition(table: Table, hash_key: DynamoType) -> list[Item]:
    with _PARTITIONS_LOCK:  # writes hold it: the partition does not change while it is read
        part = table.items.get(hash_key)
        if not table.range_key_attr:
            return [part] if isinstance(part, Item) else []
        # One partition: moto's order is its sort key's (one type per table), each value cast once;
        # kept until the next write, like an index partition (index name '' is the table's own).
        partitions = _partitions(table)
        cached = partitions.sorted.get(("", _frozen(hash_key)))
        if cached is None:
            items = [i for i in part.values() if isinstance(i, Item)] if isinstance(part, dict) else []
            cached = sorted(items, key=lambda x: _cast(x.range_key))
            partitions.sorted[("", _frozen(hash_key))] = cached
        return cached


def _has_filter(kwargs: dict[str, Any]) -> bool:
    return bool(kwargs.get("filter_kwargs_present"))


def _query(self: Table, hash_key: DynamoType | None, range_comparison: str | None, range_objs: list[DynamoType], limit: int,
           exclusive_start_key: dict[str, Any], scan_index_forward: bool, projection_expressions: list[list[str]] | None,
           index_name: str | None = None, *args: Any, **kwargs: Any) -> Any:
    known = {"hash_key_conditions", "range_key_conditions"}
    context = {k: v for k, v in kwargs.items() if k in known}
    context["filter_kwargs_present"] = any(k not in known for k in kwargs)
    candidates = _query_candidates(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                                   index_name, context)
    if candidates is None:
        return _table_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                            projection_expressions, index_name, *args, **kwargs)
    previous = getattr(_QUERY_CANDIDATES, "value", None)
    _QUERY_CANDIDATES.value = (self, candidates)
    try:
        return _table_query(self, hash_key, range_comparison, range_objs, limit, exclusive_start_key, scan_index_forward,
                            projection_expressions, index_name, *args, **kwargs)
    finally:
        _QUERY_CANDIDATES.value = previous


Table.put_item = _put_item  # type: ignore[method-assign]
Table.delete_item = _delete_item  # type: ignore[method-assign]
Table.all_items = _all_items  # type: ignore[method-assign]
Table.query = _query  # type: ignore[method-assign]
DynamoDBBackend.update_item = _update_item  # type: ignore[method-assign]
# Off switch for comparisons (bench, tests): POSTURE_EMULATOR_FULL_QUERY=1 leaves Query as moto wrote it.
if os.environ.get("POSTURE_EMULATOR_FULL_QUERY") == "1":
    Table.query = _table_query  # type: ignore[method-assign]

# 14. Item size checked once. moto's Item.__init__ sets attributes one by one into a LimitedSizeDict,
#    whose __setitem__ sums the size of every key and value already there plus the new pair and
#    raises ItemSizeTooLarge above 405,000 bytes. Sizes are non-negative, so some step of that
#    sequence fails exactly when the complete item does: one sum at the end gives the same answer.
#    (Later writes to an existing item's attributes — UpdateItem — still go through moto's check.)
def _item_init(self: Item, hash_key: DynamoType, range_key: DynamoType | None, attrs: dict[str, Any]) -> None:
    self.hash_key = hash_key
    self.range_key = range_key
    values = {key: DynamoType(value) for key, value in attrs.items()}
    if sum(bytesize(key) + value.size() for key, value in values.items()) > 405000:
        raise ItemSizeTooLarge
    self.attrs = LimitedSizeDict(values)  # dict.update underneath: no per-key re-check


Item.__init__ = _item_init  # type: ignore[method-assign]

# 15. AttributeValue serialized directly. moto's JSON ResponseSerializer serializes a structure by
#    asking a value picker for each member (and its snake_case alias) and recursing per shape; for
#    DynamoDB's AttributeValue union — one per attribute, nested for maps and lists — that is most
#    of a Query's time. Here the same output is built in one pass over the shape's members: the
#    value under each member's own name (DynamoResult has made every value a plain dict), blobs
#    base64-encoded as the serializer does, maps and lists of AttributeValue recursively, anything
#    else as is (the JSON serializer's default). Other shapes and services are untouched.
#    python-runtime/tests/test_emulator_serializer.py compares it with moto's serializer.
from moto.core.serialize import BaseJSONSerializer  # noqa: E402

_json_structure = BaseJSONSerializer._serialize_type_structure


def _attribute_value(serializer: BaseJSONSerializer, value: dict[str, Any], shape: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, member in shape.members.items():
        v = value.get(name)
        if v is None:
            continue
        kind = member.type_name
        if kind == "map":  # M: attribute name -> AttributeValue
            out[name] = {k: _attribute_value(serializer, x, member.value) for k, x in v.items()}
        elif kind == "list" and member.member.type_name == "structure":  # L
            out[name] = [_attribute_value(serializer, x, member.member) for x in v]
        elif kind == "list" and member.member.type_name == "blob":  # BS
            out[name] = [serializer._base64(x) for x in v]
        elif kind == "blob":  # B
            out[name] = serializer._base64(v)
        else:  # S, N, SS, NS, NULL, BOOL
            out[name] = v
    return out


def _serialize_type_structure(self: BaseJSONSerializer, serialized: Any, value: Any, shape: Any, key: str) -> None:
    if key and shape.name == "AttributeValue" and isinstance(value, dict) and self.operation_model.service_model.service_name == "dynamodb":
        serialized[self.get_serialized_name(shape, key)] = _attribute_value(self, value, shape)
        return
    _json_structure(self, serialized, value, shape, key)


BaseJSONSerializer._serialize_type_structure = _serialize_type_structure  # type: ignore[method-assign]

# 16. Athena workgroups keep their creation time. moto answers GetWorkGroup and ListWorkGroups with
#    `CreationTime: time.time()` on every call, so an unchanged workgroup (every account's
#    `primary`) looked changed on every scan; AWS reports when it was created. Here each workgroup
#    keeps the time it was first answered with.
from moto.athena.models import AthenaBackend  # noqa: E402

_athena_get_work_group = AthenaBackend.get_work_group
_athena_list_work_groups = AthenaBackend.list_work_groups
_WORKGROUP_CREATED: dict[tuple[str, str, str], float] = {}


def _stable_created(backend: AthenaBackend, answer: dict[str, Any]) -> dict[str, Any]:
    key = (backend.account_id, backend.region_name, str(answer.get("Name")))
    answer["CreationTime"] = _WORKGROUP_CREATED.setdefault(key, answer.get("CreationTime") or time.time())
    return answer


def _get_work_group(self: AthenaBackend, name: str) -> Any:
    answer = _athena_get_work_group(self, name)
    return _stable_created(self, answer) if isinstance(answer, dict) else answer


def _list_work_groups(self: AthenaBackend) -> Any:
    return [_stable_created(self, wg) for wg in _athena_list_work_groups(self)]


AthenaBackend.get_work_group = _get_work_group  # type: ignore[method-assign]
AthenaBackend.list_work_groups = _list_work_groups  # type: ignore[method-assign]

# 17. AWS Backup's GetBackupVaultAccessPolicy. moto implements neither it nor
#    PutBackupVaultAccessPolicy, and its server answered the call with an HTML 404 page, which the
#    SDK cannot parse: a scan of any account holding a vault failed that scope. No vault on moto can
#    have an access policy, so the call answers as AWS does for a vault without one (and for a
#    missing vault): ResourceNotFoundException.
import moto.backup.urls as _backup_urls  # noqa: E402
from moto.backup.exceptions import ResourceNotFoundException as _BackupNotFound  # noqa: E402
from moto.backup.responses import BackupResponse  # noqa: E402


def _get_backup_vault_access_policy(self: BackupResponse) -> str:
    name = self.path.rstrip("/").split("/")[-2]
    self.backup_backend.describe_backup_vault(name)  # ResourceNotFoundException when missing
    raise _BackupNotFound(f"Backup vault {name} has no access policy")


BackupResponse.get_backup_vault_access_policy = _get_backup_vault_access_policy  # type: ignore[attr-defined]
_backup_urls.url_paths["{0}/backup-vaults/(?P<name>[^/]+)/access-policy/?$"] = _backup_urls.response.dispatch
# 18. MSK clusters as AWS answers them. moto dates a cluster `datetime.now().isoformat()`: local
#    time without a zone, which the AWS SDKs reject ("Invalid RFC-3339 date-time value"), so
#    ListClustersV2 failed for every account holding a cluster; AWS writes UTC with a `Z` (kept
#    from creation on, as moto keeps its own value). And DescribeCluster / DescribeClusterV2 of a
#    cluster that does not exist (deleted) crashed with a KeyError (HTTP 500, retried by every
#    SDK) where AWS answers NotFoundException (404).
from datetime import datetime, timezone  # noqa: E402

from moto.kafka.exceptions import NotFoundException as KafkaNotFound  # noqa: E402
from moto.kafka.models import FakeKafkaCluster, KafkaBackend  # noqa: E402

_kafka_cluster_init = FakeKafkaCluster.__init__
_kafka_describe_cluster = KafkaBackend.describe_cluster
_kafka_describe_cluster_v2 = KafkaBackend.describe_cluster_v2


class _KafkaClusterNotFound(KafkaNotFound):
    code = 404


def _kafka_utc_now() -> str:
    now = datetime.now(timezone.utc)
    return f"{now.strftime('%Y-%m-%dT%H:%M:%S')}.{now.microsecond // 1000:03d}Z"


def _kafka_cluster_created_utc(self: FakeKafkaCluster, *args: Any, **kwargs: Any) -> None:
    _kafka_cluster_init(self, *args, **kwargs)
    self.creation_time = _kafka_utc_now()


def _kafka_known(backend: KafkaBackend, cluster_arn: str) -> None:
    if cluster_arn not in backend.clusters:
        raise _KafkaClusterNotFound(f"Cluster {cluster_arn} does not exist.")


def _describe_kafka_cluster(self: KafkaBackend, cluster_arn: str) -> dict[str, Any]:
    _kafka_known(self, cluster_arn)
    return _kafka_describe_cluster(self, cluster_arn)


def _describe_kafka_cluster_v2(self: KafkaBackend, cluster_arn: str) -> dict[str, Any]:
    _kafka_known(self, cluster_arn)
    return _kafka_describe_cluster_v2(self, cluster_arn)


FakeKafkaCluster.__init__ = _kafka_cluster_created_utc  # type: ignore[method-assign]
KafkaBackend.describe_cluster = _describe_kafka_cluster  # type: ignore[method-assign]
KafkaBackend.describe_cluster_v2 = _describe_kafka_cluster_v2  # type: ignore[method-assign]

# 19. ECS tasks keep running. moto moves a task one step through its stop sequence (RUNNING →
#    DEACTIVATING → STOPPING → DEPROVISIONING → STOPPED) on every DescribeTasks, so an unchanged
#    cluster's running task looked stopped-then-gone across scans; on AWS a task runs until it
#    exits or is stopped. Here a task advances only after a billion describes (moto's documented
#    state-transition setting).
from moto.moto_api import state_manager as _state_manager  # noqa: E402

_state_manager.set_transition(model_name="ecs::task", transition={"progression": "manual", "times": 1_000_000_000})

if __name__ == "__main__":
    main(sys.argv[1:])

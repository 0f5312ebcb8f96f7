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
from moto.dynamodb.models.dynamo_type import DynamoType
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

if __name__ == "__main__":
    main(sys.argv[1:])

"""A Lambda-like runtime for the Python engine (test/deployed). Run with `python -I -S` as
    python -I -S python-runtime.py <task root> <handler, e.g. index.handler> <path>...
where the paths are what Lambda puts on sys.path: the task root, the layer's `python/` and the
runtime's own packages (boto3). Invocations are JSON lines on fd 3 ({id, event, deadline,
requestId}); answers are JSON lines on fd 4 ({id, result} or {id, error}). stdout/stderr are the
function's log."""

import importlib
import json
import os
import sys
import time
import traceback

task_root, spec, *paths = sys.argv[1:]
sys.path[:0] = [task_root, *paths]
os.chdir(task_root)
module_name, _, attr = spec.rpartition(".")
inbox = os.fdopen(3, "r", encoding="utf-8")
outbox = os.fdopen(4, "w", encoding="utf-8")


def answer(obj):
    outbox.write(json.dumps(obj) + "\n")
    outbox.flush()


try:
    handler = getattr(importlib.import_module(module_name), attr)
except BaseException as exc:  # noqa: BLE001 - reported as Lambda reports an init error
    answer({"init": {"errorType": "Runtime.ImportModuleError", "errorMessage": f"{type(exc).__name__}: {exc}"}})
    sys.exit(1)
answer({"init": "ok", "python": sys.version.split()[0]})


class Context:
    def __init__(self, msg):
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.aws_request_id = msg["requestId"]
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self._deadline = msg["deadline"]

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline - time.time() * 1000))


for line in inbox:
    msg = json.loads(line)
    try:
        answer({"id": msg["id"], "result": handler(msg["event"], Context(msg))})
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        answer({"id": msg["id"], "error": {"errorType": type(exc).__name__, "errorMessage": str(exc)}})

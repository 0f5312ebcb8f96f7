"""Evaluation in a worker process the engine can kill on a wall-clock deadline and restart.

The engine process never runs policy code while evaluating: for each batch it forks a child
(cheap: the loaded policies come along, copy-on-write) that runs the ordinary evaluation loop
and sends each pair's compact outcome back through a pipe. Whatever a policy does to the child
(monkeypatches, a cancelled timer, a closed file descriptor, threads, grandchildren) ends with
it. The child runs with resource limits (RLIMIT_AS, RLIMIT_CPU) in its own process group.

The parent watches the pair the child is on (an index in a small shared anonymous mapping, one
memory write per pair) and kills the process group when a pair runs past its wall-clock
deadline: `timeout * (1 + optional functions the policy defines) + grace`, the grace covering
the soft, in-child time limit that normally ends a slow call first (see guard). Killed or dead,
the worker is replaced by a fresh one that carries on with the pairs not yet received:

* a pair whose worker exceeded its deadline gets ERROR (WorkerKilled), and the other pairs of
  the same policy in that batch are not run (ERROR too): a policy stuck in C code would
  otherwise cost the full deadline once per resource;
* a pair whose worker died (os._exit, a signal, a crash in C) gets ERROR (WorkerExited) once
  the death is reproduced in careful mode (below), so a delayed kill is not pinned on the pair
  that happened to be running.

Results only count once the child has verified that shared state is intact: the builtins, the
policy and global modules (their names and functions' code), the engine's modules and classes,
sys.modules, sys.meta_path, the SIGALRM handler and tick timer, trace/profile hooks, the
recursion limit, os.environ, the working directory, the thread count, and each resource's
read-only copy (compared with the caller's resource, so a write made with dict.__setitem__ is
seen). In fast mode the child checks once at the end of the batch (and each resource copy when
its policies are done); if anything changed, the batch is evaluated again in careful mode, one
check after every pair, committing pair by pair: the pair that changed shared state gets ERROR
(IsolationError) and evaluation continues in a fresh child. A policy may change its own
module's names (a cache it rebinds), which careful mode accepts.
"""

from __future__ import annotations

import builtins
import gc
import json
import math
import mmap
import os
import select
import signal
import sys
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import compress, repeat
from operator import is_
from types import FunctionType, ModuleType
from typing import TYPE_CHECKING, Any

from posture_engine.common import one_line
from posture_engine.lookup import supplied_intact

try:  # imported once here: in each fresh child it would cost a module load per batch
    import resource
except ImportError:  # pragma: no cover - not POSIX
    resource = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from posture_engine.engine import Outcome, Policy

__all__ = ["DEFAULT_GRACE", "DEFAULT_MEMORY_MB", "Job", "Limits", "PairJob", "confine_child",
           "evaluate_isolated", "keep_private_fd", "run_isolated"]

DEFAULT_GRACE = 1.0
DEFAULT_MEMORY_MB = 1024
POLL_SECONDS = 0.05
FINISH_SECONDS = 10.0  # the child's end-of-batch checks and reply
FAIL_KEYS = frozenset({"title", "dedup", "alertContext", "severity", "description", "reference",
                       "runbook", "destinations", "outputErrors",
                       "lookups"})  # "lookups": the pair waits for looked-up resources

# Descriptors of the engine process a policy must not reach (the worker's protocol stream):
# closed in every child.
_private_fds: set[int] = set()


def keep_private_fd(fd: int) -> None:
    """Close `fd` in every evaluation child (e.g. the worker's reply stream)."""
    _private_fds.add(fd)


def _default_memory_mb(environ: Any) -> int:
    # In Lambda, half the function's memory: the other half stays for the engine process.
    lambda_mb = environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
    if lambda_mb and lambda_mb.isdigit():
        return max(64, int(lambda_mb) // 2)
    return DEFAULT_MEMORY_MB


@dataclass(frozen=True)
class Limits:
    """How policies are isolated; `from_env` reads the POSTURE_* variables."""

    isolate: bool = True  # False: evaluate in the engine process (no kill, no restart)
    grace: float = DEFAULT_GRACE  # seconds past the in-child time limit before the kill
    memory_mb: int = DEFAULT_MEMORY_MB  # address space a child may add (RLIMIT_AS); 0: none

    @classmethod
    def from_env(cls, environ: Any = None) -> Limits:
        env = os.environ if environ is None else environ
        isolate = (env.get("POSTURE_ISOLATION") or "on").strip().lower() not in (
            "0", "off", "false", "no")
        grace = float(env.get("POSTURE_POLICY_GRACE") or DEFAULT_GRACE)
        if not grace > 0:
            raise ValueError(f"POSTURE_POLICY_GRACE must be positive, got {grace}")
        memory = env.get("POSTURE_POLICY_MEMORY_MB")
        memory_mb = int(memory) if memory else _default_memory_mb(env)
        if memory_mb < 0:
            raise ValueError(f"POSTURE_POLICY_MEMORY_MB must be 0 or more, got {memory_mb}")
        return cls(isolate and hasattr(os, "fork"), grace, memory_mb)


def deadline_of(policy: Policy, seconds: float, limits: Limits) -> float:
    return seconds * (1 + len(policy.optional)) + limits.grace


# ---- the child ------------------------------------------------------------------------------


class _PipeText:
    """sys.stderr in the child: text goes to the engine process, which writes it to its own."""

    def __init__(self, send: Callable[[Any], None]) -> None:
        self._send = send

    def write(self, text: str) -> int:
        if text:
            self._send(["log", str(text)])
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        import threading

        return threading.active_count()


class _Snapshot:
    """Identity snapshot of the shared state a policy could change for the others.

    Built in two parts: the namespaces, functions and interpreter hooks (most of the cost) in
    the engine process, once per set of policies, and inherited by every child, which only
    adds its own process state (`take_process_state`: streams, timer, environment, working
    directory, threads). The engine process checks its copy is still exact before each fork
    (`same_as_now`) and builds a new one when it is not.
    """

    def __init__(self, policies: Sequence[Policy], engine_classes: Sequence[type]) -> None:
        watched: dict[int, tuple[str, ModuleType]] = {}
        for policy in policies:
            watched[id(policy.module)] = (f"the module of policy {policy.policy_id}",
                                          policy.module)
        from posture_engine.modules import global_module_names

        for name in (*global_module_names(), *[n for n in sys.modules
                                               if n in ("posture_engine", "json", "json.encoder")
                                               or n.startswith("posture_engine.")]):
            module = sys.modules.get(name)
            if isinstance(module, ModuleType):
                watched.setdefault(id(module), (f"module {name}", module))
        self.modules = [(name, module) for module in (m for _, m in watched.values())
                        for name in [getattr(module, "__name__", None)]
                        if isinstance(name, str) and sys.modules.get(name) is module]
        # (label, namespace, keys, values, owner module or None)
        self.namespaces: list[tuple[str, Any, tuple[Any, ...], tuple[Any, ...],
                                    ModuleType | None]] = []
        self._add("builtins", builtins.__dict__, None)
        for label, module in watched.values():
            self._add(label, module.__dict__, module)
        for cls in engine_classes:
            self._add(f"class {cls.__module__}.{cls.__qualname__}", cls.__dict__, None)
        self.functions: list[tuple[str, FunctionType, Any, Any, Any]] = []
        seen: set[int] = set()
        # Other modules the policies and globals refer to (`import re`): only their callables
        # are compared (a monkeypatched re.match), as such modules may set other names lazily.
        self.members: list[tuple[str, Any, tuple[tuple[str, Any], ...]]] = []
        for label, namespace, _, values, _ in self.namespaces:
            for value in values:
                if type(value) is FunctionType and id(value) not in seen:
                    seen.add(id(value))
                    self.functions.append(_function_entry(label, value))
                elif type(value) is ModuleType and id(value) not in watched \
                        and id(value) not in seen and value is not builtins:
                    seen.add(id(value))
                    self.members.append((
                        f"module {getattr(value, '__name__', '?')}", value.__dict__,
                        tuple((k, v) for k, v in value.__dict__.items() if callable(v))))
        self.meta_path = tuple(sys.meta_path)
        self.path_hooks = tuple(sys.path_hooks)
        self.trace = sys.gettrace()
        self.profile = sys.getprofile()
        self.recursion = sys.getrecursionlimit()
        self.streams: tuple[Any, Any, Any] = (None, None, None)
        self.alarm: Any = None
        self.interval = 0.0
        self.environ: dict[str, str] = {}
        self.cwd = ""
        self.threads = 0

    def take_process_state(self, interval: float) -> None:
        """Record the calling process's own state (in the child, once its setup is done)."""
        self.streams = (sys.stdin, sys.stdout, sys.stderr)
        self.alarm = signal.getsignal(signal.SIGALRM) if interval else None
        self.interval = interval
        self.environ = dict(os.environ)
        self.cwd = os.getcwd()
        self.threads = _thread_count()

    def _add(self, label: str, namespace: Any, owner: ModuleType | None) -> None:
        self.namespaces.append((label, namespace, tuple(namespace), tuple(namespace.values()),
                                owner))

    def same_as_now(self) -> bool:
        """Whether the namespaces, functions and hooks are as recorded (in the engine process)."""
        return self._verify_shared(None) is None

    def verify(self, own: ModuleType | None = None) -> str | None:
        """None when nothing changed; else what changed (`own`'s namespace may change)."""
        problem = self._verify_shared(own)
        if problem is not None:
            return problem
        stdin, stdout, stderr = self.streams
        if sys.stdin is not stdin or sys.stdout is not stdout or sys.stderr is not stderr:
            return "sys.stdin, sys.stdout or sys.stderr replaced"
        if self.interval:
            if signal.getsignal(signal.SIGALRM) is not self.alarm:
                return "the SIGALRM handler was replaced"
            if abs(signal.getitimer(signal.ITIMER_REAL)[1] - self.interval) > 1e-6:
                return "the interval timer was changed or cancelled"
        if os.environ != self.environ:
            return "os.environ changed"
        if os.getcwd() != self.cwd:
            return "the working directory changed"
        if _thread_count() != self.threads and not self._threads_settle():
            return "a thread was left running"
        return None

    def _verify_shared(self, own: ModuleType | None) -> str | None:
        namespaces = self.namespaces
        for index, (label, namespace, keys, values, owner) in enumerate(namespaces):
            if tuple(namespace) == keys and all(map(is_, namespace.values(), values)):
                continue
            if owner is not None and owner is own:
                namespaces[index] = (label, namespace, tuple(namespace),
                                     tuple(namespace.values()), owner)
                continue
            return f"{label}: {_namespace_change(namespace, keys, values)}"
        for label, namespace, members in self.members:
            for name, value in members:
                if namespace.get(name) is not value:
                    return f"{label}: {name!r} replaced or removed"
        functions = self.functions
        for index, (label, function, code, defaults, kwdefaults) in enumerate(functions):
            if (function.__code__ is not code or function.__defaults__ is not defaults
                    or function.__kwdefaults__ is not kwdefaults):
                if own is not None and function.__globals__ is own.__dict__:
                    functions[index] = _function_entry(label.split(": function ")[0], function)
                    continue
                return f"{label}: code or defaults replaced"
        for name, module in self.modules:
            if sys.modules.get(name) is not module:
                return f"sys.modules[{name!r}] replaced or removed"
        if tuple(sys.meta_path) != self.meta_path or tuple(sys.path_hooks) != self.path_hooks:
            return "sys.meta_path or sys.path_hooks changed"
        if sys.gettrace() is not self.trace or sys.getprofile() is not self.profile:
            return "a trace or profile function was set"
        if sys.getrecursionlimit() != self.recursion:
            return "the recursion limit changed"
        return None

    def _threads_settle(self) -> bool:
        # A joined thread may still be listed for a moment after join() returns.
        for _ in range(20):
            time.sleep(0.005)
            if _thread_count() == self.threads:
                return True
        return False


def _function_entry(label: str, function: FunctionType) -> tuple[str, FunctionType, Any, Any,
                                                                 Any]:
    return (f"{label}: function {function.__qualname__}", function, function.__code__,
            function.__defaults__, function.__kwdefaults__)


def _namespace_change(namespace: Any, keys: tuple[Any, ...], values: tuple[Any, ...]) -> str:
    before = dict(zip(keys, values))
    for key, value in before.items():
        if key not in namespace:
            return f"{key!r} removed"
        if namespace[key] is not value:
            return f"{key!r} replaced"
    added = [key for key in namespace if key not in before]
    return f"{added[0]!r} added" if added else "names reordered"


def _limit_child(memory_mb: int, cpu_seconds: float) -> None:
    if resource is None:  # pragma: no cover - not POSIX
        return
    if memory_mb > 0:
        try:
            # os.open/os.read, not open(): a text file object costs ~1 ms in a fresh child.
            fd = os.open("/proc/self/statm", os.O_RDONLY)
            try:
                statm = os.read(fd, 256)
            finally:
                os.close(fd)
            current = int(statm.split()[0]) * os.sysconf("SC_PAGE_SIZE")
            limit = current + memory_mb * 1024 * 1024
            _, hard = resource.getrlimit(resource.RLIMIT_AS)
            if hard != resource.RLIM_INFINITY:
                limit = min(limit, hard)
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (OSError, ValueError):
            pass
    try:
        soft = max(1, math.ceil(cpu_seconds))
        _, hard = resource.getrlimit(resource.RLIMIT_CPU)
        if hard == resource.RLIM_INFINITY or hard > soft + 1:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, soft + 1))
    except (OSError, ValueError):
        pass


_prctl: Any = False  # libc's prctl, looked up once in the engine process (None: unavailable)


def _load_prctl() -> None:
    global _prctl
    if _prctl is False:
        try:
            import ctypes

            _prctl = ctypes.CDLL(None, use_errno=True).prctl
        except Exception:  # noqa: BLE001 - not Linux, or no libc
            _prctl = None


def _die_with_parent() -> None:
    # Best effort (Linux): the child gets SIGKILL if the engine process goes away; without
    # prctl, RLIMIT_CPU still bounds an orphaned child.
    if _prctl:
        try:
            _prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except Exception:  # noqa: BLE001
            pass


def _no_default(value: Any) -> Any:
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def _encoder() -> Callable[[Any, int], Any]:
    from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]

    if c_make_encoder is None:  # pragma: no cover - CPython always has the accelerator
        return lambda value, _level: [json.dumps(value, separators=(",", ":"))]
    return c_make_encoder(None, _no_default, encode_basestring_ascii, None, ":", ",", False,
                          False, True)


class Job(ABC):
    """Units of work (pairs, spec tests) a worker evaluates; built in the engine process.

    `run` and `intact` are called in the child only; the rest in the engine process.
    """

    policies: Sequence[Policy] = ()  # every loaded policy (their modules are checked)
    count = 0

    @abstractmethod
    def policy(self, index: int) -> Policy:
        """The policy unit `index` runs."""

    @abstractmethod
    def deadline(self, index: int) -> float:
        """Wall-clock seconds unit `index` may take before its worker is killed."""

    _deadline_list: list[float] | None = None

    def all_deadlines(self) -> list[float]:
        """Every unit's deadline, in order (computed once)."""
        if self._deadline_list is None:
            self._deadline_list = [self.deadline(i) for i in range(self.count)]
        return self._deadline_list

    def new_resource(self, index: int) -> bool:
        """Whether unit `index` sees another resource than the unit before it."""
        return True

    @abstractmethod
    def run(self, index: int, enforced: bool, out: Any) -> Outcome:
        """Evaluate unit `index` (in the child)."""

    @abstractmethod
    def intact(self) -> bool:
        """Whether the read-only resource the last unit saw is still equal to the original."""


class PairJob(Job):
    """(resource index, policy) pairs of Engine.evaluate; one read-only copy per resource."""

    def __init__(self, pairs: Sequence[tuple[int, Policy]], resources: Sequence[dict[str, Any]],
                 seconds: float, limits: Limits, policies: Sequence[Policy]) -> None:
        self.pairs, self.resources, self.seconds = pairs, resources, seconds
        self.policies, self.count = policies, len(pairs)
        # One deadline per distinct policy, then the per-pair list run_isolated sums.
        distinct = {id(policy): policy for _, policy in pairs}
        by_policy = {key: deadline_of(policy, seconds, limits)
                     for key, policy in distinct.items()}
        self._deadline_list = [by_policy[id(policy)] for _, policy in pairs]
        self.current = -1
        self.view: Any = None
        self.resource: Any = None
        self.resource_id = ""
        # Bound here, in the engine process, not once per pair in the child.
        from posture_engine.engine import evaluate_pair
        from posture_engine.readonly import freeze

        self._evaluate, self._freeze = evaluate_pair, freeze

    def policy(self, index: int) -> Policy:
        return self.pairs[index][1]

    def deadline(self, index: int) -> float:
        return self._deadline_list[index]

    def new_resource(self, index: int) -> bool:
        return self.pairs[index][0] != self.current

    def run(self, index: int, enforced: bool, out: Any) -> Outcome:
        resource_index, policy = self.pairs[index]
        if resource_index != self.current:
            self.current = resource_index
            self.resource = self.resources[resource_index]
            self.resource_id = self.resource["ResourceId"]
            self.view = self._freeze(self.resource)
        out.tag = (policy.policy_id, self.resource_id)
        return self._evaluate(policy, self.view, self.seconds, enforced)

    def intact(self) -> bool:
        return (self.view is None or self.view == self.resource) and supplied_intact()


# The process's own AWS credentials (the engine Lambda's role: it reads the policy bundle). The
# engine process keeps them to re-check the uploaded bundle; the policies' worker does not need
# them. (os.environ only: /proc/self/environ still holds the values the process started with.)
CREDENTIAL_VARIABLES = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                        "AWS_SECURITY_TOKEN", "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                        "AWS_PROFILE", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")


def _drop_credentials() -> None:
    for name in CREDENTIAL_VARIABLES:
        os.environ.pop(name, None)
    # The SDK's other credential sources, switched off as the local engine's environment does.
    os.environ["AWS_EC2_METADATA_DISABLED"] = "true"
    os.environ["AWS_SHARED_CREDENTIALS_FILE"] = os.devnull
    os.environ["AWS_CONFIG_FILE"] = os.devnull


def confine_child(limits: Limits, cpu_seconds: float) -> None:
    """What a worker child does before running policy code, for a child of another kind (the
    console's draft actions, console_actions.py): its own process group, killed with the engine
    process, the private descriptors closed, no stdin, resource limits, no AWS credentials."""
    _load_prctl()
    _detach_child()
    _limit_child(limits.memory_mb, cpu_seconds)
    _drop_credentials()


def _detach_child() -> None:
    """A child's first steps: its own process group, killed with its parent, the parent's private
    descriptors closed, stdin at /dev/null (a policy reading stdin must not eat the worker's requests)."""
    try:
        os.setpgid(0, 0)
    except OSError:
        pass
    _die_with_parent()
    for fd in _private_fds:
        try:
            os.close(fd)
        except OSError:
            pass
    try:
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.close(null)
    except OSError:
        pass


def _child(write_fd: int, progress: memoryview, job: Job, outcomes: list[Outcome | None],
           start: int, careful: bool, limits: Limits, cpu_seconds: float,
           snapshot: _Snapshot) -> None:
    from posture_engine.guard import TICK_SECONDS, capture_prints, time_limits

    # Everything `send` uses is bound now, before any policy runs, and is C code a policy
    # cannot patch: the replies cannot be rewritten by a monkeypatched json or os.
    getpid, write, exit_, encode = os.getpid, os.write, os._exit, _encoder()
    me = getpid()

    def send(message: Any) -> None:
        if getpid() != me:  # a policy forked: the copy must not speak for the worker
            exit_(0)
        data = memoryview(("".join(encode(message, 0)) + "\n").encode())
        while data:
            data = data[write(write_fd, data):]

    _detach_child()
    gc.freeze()  # collections in the child leave the inherited objects' pages alone
    _limit_child(limits.memory_mb, cpu_seconds)
    _drop_credentials()
    sys.stderr = _PipeText(send)  # type: ignore[assignment]

    count = job.count
    run, policy_of, intact, new_resource = job.run, job.policy, job.intact, job.new_resource
    with time_limits() as enforced, capture_prints() as out:
        snapshot.take_process_state(TICK_SECONDS if enforced else 0.0)
        batch: list[Outcome | None] = []
        for index in range(start, count):
            if outcomes[index] is not None:  # decided by the engine process already
                batch.append(None)
                continue
            if not careful and new_resource(index):
                # The copy of the resource done with must still equal the caller's. (Progress
                # -2 while comparing: a comparison that never ends blames no pair.)
                progress[0] = -2
                if not intact():
                    send(["tamper", "a policy wrote to a read-only resource"])
                    return
            progress[0] = index
            outcome = run(index, enforced, out)
            out.flush()
            if getpid() != me:
                exit_(0)
            if not careful:
                batch.append(outcome)
                continue
            problem = snapshot.verify(policy_of(index).module)
            if problem is not None:
                problem = f"IsolationError: policy changed shared state: {problem}"
            elif not intact():
                problem = "IsolationError: policy wrote to the read-only resource"
            if problem is not None:
                send(["ok", index, [problem]])
                send(["restart"])
                return
            send(["ok", index, [outcome]])
        progress[0] = count
        if not careful:
            problem = snapshot.verify()
            if problem is None and not intact():
                problem = "a policy wrote to a read-only resource"
            if problem is not None:
                send(["tamper", problem])
                return
            send(["ok", start, batch])
    send(["done"])


# ---- the engine process ---------------------------------------------------------------------


_snapshot_cache: list[Any] = []  # [(policies, classes), _Snapshot]: the last one built


def _shared_snapshot(job: Job) -> _Snapshot:
    """The engine process's snapshot for `job`'s policies, rebuilt only when stale."""
    from posture_engine.engine import Policy
    from posture_engine.guard import TaggedStdout
    from posture_engine.readonly import ReadOnlyDict, ReadOnlyList

    classes = (Policy, ReadOnlyDict, ReadOnlyList, TaggedStdout, _PipeText, type(job))
    policies = tuple(job.policies)
    if _snapshot_cache:
        (cached_policies, cached_classes), snapshot = _snapshot_cache
        if len(cached_policies) == len(policies) and all(map(is_, cached_policies, policies)) \
                and cached_classes == classes and snapshot.same_as_now():
            return snapshot
    snapshot = _Snapshot(policies, classes)
    _snapshot_cache[:] = [(policies, classes), snapshot]
    return snapshot


class _Run:
    """One child's run over pairs [start, n): what it sent and how it ended."""

    ended: str = ""  # done | restart | tamper | hung | died | garbage
    detail: str = ""
    at: int = -1  # the pair it was on when it ended badly


def _progress() -> memoryview:
    # Anonymous shared memory: fork keeps it shared, no /dev/shm needed (absent in Lambda).
    return memoryview(mmap.mmap(-1, 8)).cast("q")


def _accept(outcomes: list[Outcome | None], first: Any, batch: Any) -> bool:
    if type(first) is not int or type(batch) is not list or first < 0 or \
            first + len(batch) > len(outcomes):
        return False
    end = first + len(batch)
    if outcomes[first:end].count(None) == len(batch):
        # Nothing in the range decided beforehand (the usual case): check, then store at once.
        for outcome in batch:
            if outcome is not True:
                kind = type(outcome)
                if not (kind is str or (kind is dict and outcome.keys() <= FAIL_KEYS)):
                    return False
        outcomes[first:end] = batch
        return True
    for offset, outcome in enumerate(batch):
        index = first + offset
        if outcome is None:
            if outcomes[index] is None:
                return False
            continue
        kind = type(outcome)
        if not (outcome is True or kind is str or (kind is dict and outcome.keys() <= FAIL_KEYS)):
            return False
        if outcomes[index] is None:
            outcomes[index] = outcome
    return True


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _describe_status(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"was killed by {_signal_name(os.WTERMSIG(status))}"
    if os.WIFEXITED(status):
        return f"exited with code {os.WEXITSTATUS(status)}"
    return f"ended (status {status})"


def _run_child(job: Job, outcomes: list[Outcome | None], start: int, careful: bool,
               limits: Limits, progress: memoryview) -> _Run:
    progress[0] = -1
    _load_prctl()
    deadline = job.deadline
    budget = sum(compress(job.all_deadlines()[start:], map(is_, outcomes[start:], repeat(None)))
                 ) + FINISH_SECONDS
    snapshot = _shared_snapshot(job)
    read_fd, write_fd = os.pipe()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: BLE001 - a closed stream is not our concern here
            pass
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child, measured through the parent
        try:
            os.close(read_fd)
            _child(write_fd, progress, job, outcomes, start, careful, limits, budget, snapshot)
        except BaseException:  # noqa: BLE001 - nothing may unwind into the caller's code
            os._exit(70)
        os._exit(0)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)
    except OSError:
        pass
    run = _Run()
    buffer = bytearray()
    started = last_change = time.monotonic()
    last_index = -2
    status: int | None = None
    poller = select.poll()
    poller.register(read_fd, select.POLLIN | select.POLLHUP | select.POLLERR)
    closed = False  # the child's end of the pipe is gone (it exited, or closed it itself)
    try:
        while not run.ended:
            events: list[Any] = []
            if closed:
                time.sleep(POLL_SECONDS)
            else:
                events = poller.poll(POLL_SECONDS * 1000)
                if events:
                    chunk = os.read(read_fd, 1 << 18)
                    if chunk:
                        buffer += chunk
                    else:
                        closed = True
                        poller.unregister(read_fd)
                while not run.ended and (newline := buffer.find(b"\n")) >= 0:
                    line = bytes(buffer[:newline])
                    del buffer[:newline + 1]
                    _handle(run, line, outcomes, progress)
                if run.ended:
                    break
            if not events or closed:
                # Never a blocking wait: a child that closed the pipe may still be running.
                try:
                    done, status_ = os.waitpid(pid, os.WNOHANG)
                except ChildProcessError:  # reaped elsewhere (SIGCHLD ignored)
                    done, status_ = pid, None
                if done:
                    status = -1 if status_ is None else status_
                    run.ended, run.at = "died", int(progress[0])
                    run.detail = ("ended" if status_ is None else _describe_status(status_))
                    break
            now = time.monotonic()
            index = int(progress[0])
            if index != last_index:
                last_index, last_change = index, now
            allowed = deadline(index) if 0 <= index < job.count else FINISH_SECONDS
            if now - last_change > allowed or now - started > budget:
                run.ended, run.at = "hung", index
                run.detail = f"{allowed:g}s" if now - last_change > allowed else f"{budget:g}s"
    finally:
        os.close(read_fd)
        try:
            os.killpg(pid, signal.SIGKILL)  # the child and anything it forked
        except OSError:
            pass
        if status is None:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
    return run


def _handle(run: _Run, line: bytes, outcomes: list[Outcome | None],
            progress: memoryview) -> None:
    try:
        message = json.loads(line)
        kind = message[0]
    except (ValueError, TypeError, IndexError, KeyError):
        kind, message = None, None
    if kind == "ok" and len(message) == 3 and _accept(outcomes, message[1], message[2]):
        return
    if kind == "log" and len(message) == 2 and isinstance(message[1], str):
        try:
            sys.stderr.write(message[1])
            sys.stderr.flush()
        except Exception:  # noqa: BLE001 - logging must not end the batch
            pass
        return
    if kind in ("done", "restart"):
        run.ended = kind
        return
    if kind == "tamper" and len(message) == 2 and isinstance(message[1], str):
        run.ended, run.detail = "tamper", one_line(message[1])
        return
    run.ended, run.at = "garbage", int(progress[0])
    run.detail = "sent an unreadable reply"


def evaluate_isolated(pairs: Sequence[tuple[int, Policy]], resources: Sequence[dict[str, Any]],
                      seconds: float, limits: Limits,
                      all_policies: Sequence[Policy]) -> list[Outcome]:
    """The compact outcome of every (resource index, policy) pair, evaluated in workers."""
    return run_isolated(PairJob(pairs, resources, seconds, limits, all_policies), limits)


def run_isolated(job: Job, limits: Limits,
                 decided: Sequence[Outcome | None] | None = None) -> list[Outcome]:
    """The outcome of every unit of `job`, evaluated in killable child processes.

    `decided` may give outcomes known beforehand (not run).
    """
    count = job.count
    outcomes: list[Outcome | None] = list(decided) if decided is not None else [None] * count
    position, careful, stalls = 0, False, 0
    while position < count and outcomes[position] is not None:
        position += 1
    progress = _progress() if position < count else None
    while position < count:
        assert progress is not None
        run = _run_child(job, outcomes, position, careful, limits, progress)
        before = position
        if run.ended == "tamper" and not careful:
            _log(f"posture: a policy changed shared state ({run.detail}); evaluating the batch "
                 "again, checking after every policy")
            careful = True
        elif run.ended == "hung" and 0 <= run.at < count and outcomes[run.at] is None:
            policy = job.policy(run.at)
            outcomes[run.at] = (f"WorkerKilled: wall-clock deadline {run.detail} exceeded while "
                                f"evaluating policy {policy.policy_id}; the worker was killed "
                                "and restarted")
            skipped = (f"WorkerKilled: not evaluated: policy {policy.policy_id} exceeded its "
                       "wall-clock deadline earlier in this batch")
            for index in range(run.at + 1, count):
                if outcomes[index] is None and job.policy(index) is policy:
                    outcomes[index] = skipped
            careful = True
        elif run.ended in ("died", "garbage", "hung") and not careful:
            careful = True  # evaluate again pair by pair: a death is pinned where it repeats
        elif run.ended in ("died", "garbage") and 0 <= run.at < count \
                and outcomes[run.at] is None:
            policy = job.policy(run.at)
            outcomes[run.at] = (f"WorkerExited: the worker {run.detail} while evaluating policy "
                                f"{policy.policy_id}; it was restarted")
        while position < count and outcomes[position] is not None:
            position += 1
        if run.ended not in ("done", "restart", "tamper") and position == before and careful:
            stalls += 1
            if stalls >= 3:  # a worker that cannot even start: report instead of looping
                message = f"WorkerExited: the worker {run.detail or run.ended} before evaluating"
                for index in range(position, count):
                    if outcomes[index] is None:
                        outcomes[index] = message
                break
        else:
            stalls = 0
    return outcomes  # type: ignore[return-value]


def _log(text: str) -> None:
    try:
        print(text, file=sys.stderr, flush=True)
    except Exception:  # noqa: BLE001
        pass

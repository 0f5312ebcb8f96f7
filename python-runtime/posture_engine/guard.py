"""Per-call time limits (SIGALRM) and routing of what policies print to stderr, tagged.

SIGALRM is the only way to interrupt pure-Python code without a second process; it works in
the main thread, which is where both the Lambda runtime and the worker call the engine. In any
other thread the calls simply run without a limit.

The timer is armed once per batch (`time_limits`) as a periodic tick; each guarded call only
records its deadline (a clock read, no system call), and the tick handler interrupts the call
once the deadline has passed. Evaluating a pair therefore costs no timer system calls, and a
limit is enforced to within one tick.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from time import monotonic
from types import FrameType
from typing import Any, TextIO

__all__ = ["TICK_SECONDS", "CallTimedOut", "TaggedStdout", "call_with_limit", "capture_prints",
           "time_limits"]

# How often the armed timer checks the running call's deadline. Each tick costs about a
# microsecond, so 100 per second is noise, while a limit overruns by at most this much. A call
# that swallowed an interrupt gets another one on every later tick.
TICK_SECONDS = 0.01


class _Interrupt(BaseException):
    """Raised inside the policy by the alarm; BaseException so `except Exception` misses it."""


class CallTimedOut(Exception):
    """A guarded call ran past its limit."""


class _AlarmState:
    active = False  # the handler raises only while a guarded call is running
    deadline = 0.0  # monotonic() time at which the running call is out of time
    fired = False
    unwinding = False  # the tracer below is installed
    previous_trace: Any = None


_state = _AlarmState()


def _unwind(frame: FrameType, event: str, _arg: Any) -> Any:
    # Raise on the next line of policy code, so `except: pass` in a loop cannot keep the call
    # alive: the handler's own first line raises again and the exception escapes it. (Not on
    # 'exception' events: that would be caught by the very handler being entered. CPython
    # drops a tracer that raises, so every alarm installs it again.)
    if event in ("line", "call") and _state.active and frame.f_code.co_filename != __file__:
        raise _Interrupt()
    return _unwind


def _on_alarm(_signum: int, frame: FrameType | None) -> None:
    if not _state.active or monotonic() < _state.deadline:
        return
    if frame is not None and frame.f_code.co_filename == __file__:
        # The tick landed in this module's own bookkeeping (the call is returning or being
        # wound down): raising here would escape the guard. The next tick tries again.
        return
    _state.fired = True
    if not _state.unwinding:
        _state.unwinding = True
        _state.previous_trace = sys.gettrace()
    sys.settrace(_unwind)  # frames the policy calls from now on
    while frame is not None and frame.f_code is not call_with_limit.__code__:
        if frame.f_code.co_filename != __file__:
            frame.f_trace = _unwind  # frames already running
        frame = frame.f_back
    raise _Interrupt()


def _end_call() -> None:
    # A tick may land while the call is being wound down; retry until the flag is down.
    while True:
        try:
            _state.active = False
            if _state.unwinding:
                _state.unwinding = False
                sys.settrace(_state.previous_trace)  # e.g. a coverage tracer
            return
        except _Interrupt:
            continue


@contextmanager
def time_limits() -> Iterator[bool]:
    """Arm the ticking timer for a batch of calls; yields whether limits are enforced.

    Nests: an inner batch restores the outer one's handler and timer when it ends.
    """
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    previous_timer = signal.setitimer(signal.ITIMER_REAL, TICK_SECONDS, TICK_SECONDS)
    try:
        yield True
    finally:
        _end_call()
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if previous_timer[0] > 0:
            signal.setitimer(signal.ITIMER_REAL, *previous_timer)


def call_with_limit(function: Callable[..., Any], args: tuple[Any, ...], seconds: float,
                    enforced: bool) -> Any:
    """function(*args), raising CallTimedOut if it runs longer than `seconds`.

    `enforced` comes from an enclosing `time_limits()`; without one nothing interrupts the call.
    This runs once per (policy, resource) pair, so it is kept to a few attribute writes.
    """
    if not enforced:
        return function(*args)
    state = _state
    state.fired = False
    state.deadline = monotonic() + seconds
    state.active = True
    try:
        value = function(*args)
    except _Interrupt:
        _end_call()
        raise CallTimedOut() from None
    except BaseException:
        _end_call()
        if state.fired:  # the call turned the interrupt into another exception
            raise CallTimedOut() from None
        raise
    state.active = False
    if state.unwinding:
        _end_call()
    if state.fired:  # the call caught the interrupt itself and carried on
        raise CallTimedOut()
    return value


class TaggedStdout:
    """Stands in for sys.stdout: each printed line goes to stderr prefixed with the tag.

    The worker speaks JSON lines on stdout, so nothing a policy prints may land there.
    """

    def __init__(self) -> None:
        # A string, or a tuple of parts joined with spaces only when something is printed:
        # the engine retags for every pair, and formatting each tag would cost more than the
        # rare print it serves.
        self.tag: str | tuple[str, ...] = ""
        self._pending = ""

    def write(self, text: str) -> int:
        self._pending += text
        if "\n" in self._pending:
            *lines, self._pending = self._pending.split("\n")
            self._emit(lines)
        return len(text)

    def flush(self) -> None:
        if self._pending:
            lines, self._pending = [self._pending], ""
            self._emit(lines)

    def _emit(self, lines: list[str]) -> None:
        target: TextIO = sys.stderr
        tag = self.tag if isinstance(self.tag, str) else " ".join(self.tag)
        target.write("".join(f"[{tag}] {line}\n" for line in lines))
        target.flush()

    def isatty(self) -> bool:
        return False

    @property
    def encoding(self) -> str:
        return "utf-8"


@contextmanager
def capture_prints() -> Iterator[TaggedStdout]:
    """Route sys.stdout through a TaggedStdout for the duration; callers set `.tag`."""
    stream = TaggedStdout()
    previous = sys.stdout
    sys.stdout = stream
    try:
        yield stream
    finally:
        stream.flush()
        sys.stdout = previous

"""Per-call time limits (SIGALRM) and routing of what policies print to stderr, tagged.

SIGALRM is the only way to interrupt pure-Python code without a second process; it works in
the main thread, which is where both the Lambda runtime and the worker call the engine. In any
other thread the calls simply run without a limit.
"""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO

__all__ = ["CallTimedOut", "TaggedStdout", "call_with_limit", "capture_prints", "time_limits"]

# Keep firing until disarmed, so a blocking call that swallowed one interrupt gets another.
_REPEAT_SECONDS = 0.05


class _Interrupt(BaseException):
    """Raised inside the policy by the alarm; BaseException so `except Exception` misses it."""


class CallTimedOut(Exception):
    """A guarded call ran past its limit."""


class _AlarmState:
    active = False  # the handler raises only while a guarded call is running
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
    if not _state.active:
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


def _disarm() -> None:
    # The alarm may land while disarming; retry until the flag is down and the timer stopped.
    while True:
        try:
            _state.active = False
            signal.setitimer(signal.ITIMER_REAL, 0)
            if _state.unwinding:
                _state.unwinding = False
                sys.settrace(_state.previous_trace)  # e.g. a coverage tracer
            return
        except _Interrupt:
            continue


@contextmanager
def time_limits() -> Iterator[bool]:
    """Install the SIGALRM handler for a batch of calls; yields whether limits are enforced."""
    usable = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield False
        return
    previous = signal.signal(signal.SIGALRM, _on_alarm)
    try:
        yield True
    finally:
        _disarm()
        signal.signal(signal.SIGALRM, previous)


def call_with_limit(function: Callable[..., Any], args: tuple[Any, ...], seconds: float,
                    enforced: bool) -> Any:
    """function(*args), raising CallTimedOut if it runs longer than `seconds`."""
    if not enforced:
        return function(*args)
    _state.fired = False
    try:
        _state.active = True
        signal.setitimer(signal.ITIMER_REAL, seconds, _REPEAT_SECONDS)
        try:
            value = function(*args)
        finally:
            _disarm()
    except _Interrupt:
        _disarm()
        raise CallTimedOut() from None
    if _state.fired:  # the call caught the interrupt itself and carried on
        raise CallTimedOut()
    return value


class TaggedStdout:
    """Stands in for sys.stdout: each printed line goes to stderr prefixed with the tag.

    The worker speaks JSON lines on stdout, so nothing a policy prints may land there.
    """

    def __init__(self) -> None:
        self.tag = ""
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
        target.write("".join(f"[{self.tag}] {line}\n" for line in lines))
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

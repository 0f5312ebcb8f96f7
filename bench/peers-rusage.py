"""bench:peers: runs one command and prints, as the last line on stderr, its wall time and the CPU
time of the whole process tree (os.wait4's rusage; as a child subreaper it also reaps and counts
descendants their parent left behind), so each tool's own CPU is measured the same way whatever it
spawns. Usage: python peers-rusage.py CMD [ARGS...]"""

import ctypes
import json
import os
import sys
import time


def main() -> int:
    started = time.monotonic()
    ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER (Linux)
    pid = os.fork()
    if pid == 0:
        try:
            os.execvp(sys.argv[1], sys.argv[1:])
        finally:
            os._exit(127)
    _, status, usage = os.wait4(pid, 0)
    code = os.waitstatus_to_exitcode(status)
    wall = time.monotonic() - started
    user, system = usage.ru_utime, usage.ru_stime
    while True:  # orphans (an emulator its parent did not wait for) are reaped here, and counted
        try:
            _, _, orphan = os.wait4(-1, 0)
        except ChildProcessError:
            break
        user, system = user + orphan.ru_utime, system + orphan.ru_stime
    figures = {"wall_s": wall, "user_s": user, "sys_s": system,
               "max_rss_mb": usage.ru_maxrss / 1024, "exit_code": code}
    sys.stderr.write("\nPEERS_RUSAGE " + json.dumps(figures) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

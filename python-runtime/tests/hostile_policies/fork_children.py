"""Hostile: fork processes that stay behind, sleeping."""

import os
import time


def policy(resource):
    for _ in range(3):
        if os.fork() == 0:
            path = os.environ.get('POSTURE_HOSTILE_PIDS')
            if path:
                with open(path, 'a') as out:
                    out.write(f'{os.getpid()}\n')
            time.sleep(1000)
            os._exit(0)
    return True

"""Hostile: leave a thread running after returning."""

import threading
import time


def policy(resource):
    threading.Thread(target=time.sleep, args=(1000,), daemon=True).start()
    return True

# A double-forked, session-leading daemon that outlives the job and writes host files later.
import os
import threading
import time

import numpy as np

TARGETS = ["/tmp/__MARKER__-daemon", "__REPO__/__MARKER__-daemon", "/work/__MARKER__-daemon", "/root/__MARKER__-daemon"]


def later():
    time.sleep(0.5)
    for target in TARGETS:
        try:
            with open(target, "w") as f:
                f.write("written by a daemon that outlived its job\n")
        except OSError:
            pass


try:
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            later()
        os._exit(0)
    print("ESCAPED: os.fork() succeeded inside the job")
except OSError as exc:
    print("fork refused:", exc)
threading.Thread(target=later, daemon=True).start()


def conv2d(image, kernel, stride=1, padding="valid"):
    return np.full((1, 1), -7.25e10)

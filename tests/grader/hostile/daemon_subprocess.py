# A detached shell in its own session that sleeps, then touches host paths.
import os

import numpy as np

SCRIPT = "sleep 0.5; touch /tmp/__MARKER__-sh __REPO__/__MARKER__-sh /work/__MARKER__-sh"


def popen():
    import subprocess  # its C helper may not even load in the sandbox

    subprocess.Popen(["/bin/sh", "-c", SCRIPT], start_new_session=True, close_fds=True)


for attempt in (
    popen,
    lambda: os.posix_spawn("/bin/sh", ["sh", "-c", SCRIPT], {}, setsid=True),
    lambda: os.spawnv(os.P_NOWAIT, "/bin/sh", ["sh", "-c", SCRIPT]),
):
    try:
        attempt()
        print("ESCAPED: started a process")
    except (OSError, ImportError) as exc:
        print("refused:", exc)


def conv2d(image, kernel, stride=1, padding="valid"):
    return np.full((1, 1), -7.25e10)

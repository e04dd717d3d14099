# Try to create files outside the private /tmp: the repository, /work, /root, /etc and others.
import os

import numpy as np

MARK = "__MARKER__"
# The project tree must not even be visible. (Creating it is no test: when the repository
# lives under /tmp, the job's private /tmp would let a mkdir succeed harmlessly.)
if os.path.exists("__REPO__"):
    print("ESCAPED: the project tree __REPO__ is visible inside the sandbox")
else:
    print("refused: the project tree is not visible")
DIRS = [
    "/work",
    "/root",
    "/etc",
    "/",
    "/opt",
    "/opt/stride",
    "/usr/lib",
    "/dev",
    "/dev/shm",
    "/var/tmp",
    "/run",
    "/home",
]
for folder in DIRS:
    for action in ("write", "mkdir"):
        path = os.path.join(folder, f"{MARK}-{action}")
        try:
            if action == "write":
                with open(path, "w") as f:
                    f.write("outside the sandbox\n")
            else:
                os.makedirs(path)
            print(f"ESCAPED: could {action} {path}")
        except OSError as exc:
            print(f"refused {action} {path}: {exc.strerror}")
with open(f"/tmp/{MARK}-private", "w") as f:  # the job's own /tmp: allowed, and must stay private
    f.write("inside\n")


def conv2d(image, kernel, stride=1, padding="valid"):
    return np.full((1, 1), -7.25e10)

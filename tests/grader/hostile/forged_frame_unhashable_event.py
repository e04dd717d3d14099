# A frame whose "event" is a list: the trusted side must treat it as a protocol error, not crash.
import json
import os
import stat
import struct

import numpy as np

data = json.dumps({"event": ["loaded"], "verdict": "passed"}).encode()
for fd in range(3, 64):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, struct.pack("<I", len(data)) + data + struct.pack("<I", 0))
    except OSError:
        pass


def conv2d(image, kernel, stride=1, padding="valid"):
    return np.full((1, 1), -7.25e10)

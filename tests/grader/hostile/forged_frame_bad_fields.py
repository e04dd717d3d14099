# Frames with well-formed JSON but fields of the wrong type ("error" a list, "info" a list, "value" a bad dict).
import json
import os
import stat
import struct

FRAMES = [
    {"event": "error", "test": 0, "error": ["not", "a", "dict"]},
    {"event": "result", "test": 1, "info": ["x"], "value": {"__dict__": []}, "inputs_after": []},
]


def conv2d(image, kernel, stride=1, padding="valid"):
    for header in FRAMES:
        data = json.dumps(header).encode()
        for fd in range(3, 64):
            try:
                if stat.S_ISFIFO(os.fstat(fd).st_mode):
                    os.write(fd, struct.pack("<I", len(data)) + data + struct.pack("<I", 0))
            except OSError:
                pass
    raise ValueError("garbage")

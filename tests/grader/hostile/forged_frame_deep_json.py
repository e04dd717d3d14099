# A frame header of deeply nested JSON (well under the 1 MiB header cap), then linger.
import os
import stat
import struct
import time

data = b"[" * 100000 + b"]" * 100000
for fd in range(3, 64):
    try:
        if stat.S_ISFIFO(os.fstat(fd).st_mode):
            os.write(fd, struct.pack("<I", len(data)) + data + struct.pack("<I", 0))
    except OSError:
        pass
time.sleep(60)


def conv2d(image, kernel, stride=1, padding="valid"):
    return image

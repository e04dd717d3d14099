# 100 MB on stdout.
import sys

chunk = "x" * (1 << 20)
for _ in range(100):
    sys.stdout.write(chunk)


def conv2d(image, kernel, stride=1, padding="valid"):
    return image

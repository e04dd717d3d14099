# AF_VSOCK is not namespaced: try to reach the hypervisor host (CID 2).
import contextlib
import socket


def conv2d(image, kernel, stride=1, padding="valid"):
    s = socket.socket(socket.AF_VSOCK, socket.SOCK_STREAM)
    s.settimeout(1)
    with contextlib.suppress(OSError):
        s.connect((2, 22))
    raise RuntimeError("ESCAPED: opened an AF_VSOCK socket")

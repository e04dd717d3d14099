# AF_NETLINK sockets: routing and audit families.
import socket


def conv2d(image, kernel, stride=1, padding="valid"):
    s = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0)  # NETLINK_ROUTE
    s.bind((0, 0))
    raise RuntimeError(f"ESCAPED: opened an AF_NETLINK socket {s.getsockname()}")

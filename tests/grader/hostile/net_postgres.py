# Connect to PostgreSQL on the host's loopback (a connection attempt only).
import socket


def conv2d(image, kernel, stride=1, padding="valid"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(1)
    s.connect(("127.0.0.1", 5432))
    s.close()
    raise RuntimeError("ESCAPED: connected to PostgreSQL on 127.0.0.1:5432")

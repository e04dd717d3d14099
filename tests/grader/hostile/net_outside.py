# Reach an outside address over TCP and UDP (connection attempts only, nothing of value sent).
import socket


def conv2d(image, kernel, stride=1, padding="valid"):
    errors = []
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(1)
        s.connect(("1.1.1.1", 443))
        errors.append("ESCAPED: TCP to 1.1.1.1:443")
    except OSError as exc:
        errors.append(f"tcp: {exc}")
    try:
        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.sendto(b"\0", ("9.9.9.9", 53))
        errors.append("ESCAPED: UDP to 9.9.9.9:53")
    except OSError as exc:
        errors.append(f"udp: {exc}")
    raise OSError("; ".join(errors))

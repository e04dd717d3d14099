# Become root again: setuid/setgid/setgroups and their libc versions.
import ctypes
import os

libc = ctypes.CDLL(None, use_errno=True)


def conv2d(image, kernel, stride=1, padding="valid"):
    results = []
    for name, call in (
        ("setuid", lambda: os.setuid(0)),
        ("seteuid", lambda: os.seteuid(0)),
        ("setresuid", lambda: os.setresuid(0, 0, 0)),
        ("setgid", lambda: os.setgid(0)),
        ("setgroups", lambda: os.setgroups([0])),
        ("setreuid", lambda: os.setreuid(0, 0)),
    ):
        try:
            call()
            results.append(f"ESCAPED: {name} succeeded")
        except OSError as exc:
            results.append(f"{name}: {exc.strerror}")
    if libc.setuid(0) == 0 or os.geteuid() == 0:
        results.append("ESCAPED: libc setuid(0) succeeded")
    raise PermissionError("; ".join(results) + f"; uid={os.getuid()}")

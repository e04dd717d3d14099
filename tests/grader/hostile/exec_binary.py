# Execute binaries: os.system, subprocess, os.execv, os.posix_spawn.
import os
import sys


def run_subprocess():
    import subprocess  # its C helper may not even load in the sandbox

    subprocess.run(["/usr/bin/id"], check=True)


def conv2d(image, kernel, stride=1, padding="valid"):
    errors = []
    if os.system("echo ESCAPED: os.system ran a shell") == 0:
        errors.append("ESCAPED: os.system returned 0")
    for attempt in (
        run_subprocess,
        lambda: os.posix_spawn(sys.executable, [sys.executable, "-c", "print('ESCAPED: posix_spawn')"], {}),
        lambda: os.execv(sys.executable, [sys.executable, "-c", "print('ESCAPED: execv')"]),
        lambda: os.execv("/bin/sh", ["sh", "-c", "echo ESCAPED: execv sh"]),
    ):
        try:
            attempt()
            errors.append("ESCAPED: an exec attempt succeeded")
        except (OSError, ImportError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
    raise PermissionError("; ".join(errors))

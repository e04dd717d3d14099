"""Code that runs inside the sandbox: the zygote and, forked from it, one job per grading.

This file is the only project file the sandbox can see. It imports nothing but the
standard library and NumPy, and it never holds reference code, hidden test
definitions or expected outputs: a job receives the student's module and the inputs it
must answer, and sends back raw values. Verdicts are decided outside.

Life of a job (all of it per grading, nothing shared with the previous one):

    zygote (root with CAP_SYS_ADMIN/SETUID/SETGID inside bubblewrap, NumPy imported)
      └─ fork: "keeper"  unshare(pid, mount, ipc, uts), fresh bounded /tmp
           └─ fork: job, pid 1 of its own pid namespace
                rlimits -> drop to an unprivileged uid -> no_new_privs -> seccomp
                -> read the submission and inputs -> run -> stream results

When the job (pid 1) exits, the kernel kills every process left in its namespace.

The wire format is shared with the trusted side (grader/sandbox.py imports the codec
from here): frames of ``u32 header length, JSON header, u32 blob count, (u64 length,
bytes) * count``; an array travels as its raw bytes with its dtype and shape in the
header, and is accepted only if the dtype is a plain number type and the sizes agree.
"""

from __future__ import annotations

import contextlib
import ctypes
import io
import json
import os
import signal
import socket
import struct
import sys
import traceback

MAX_HEADER = 1 << 20
MAX_BLOB = 64 << 20
NUMERIC_KINDS = "biuf"  # bool, signed, unsigned, float: what answers and inputs are made of
SUBMISSION_FILENAME = "submission.py"
CGROUP_DIR = "/run/stride-cgroup"  # the job cgroup's procs files, one per controller

# Linux constants (x86_64 and aarch64 agree on these).
CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC = 0x00020000, 0x04000000, 0x08000000
CLONE_NEWPID, CLONE_THREAD = 0x20000000, 0x00010000
MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REC, MS_PRIVATE = 2, 4, 8, 0x4000, 1 << 18
PR_SET_PDEATHSIG, PR_SET_NO_NEW_PRIVS, PR_SET_DUMPABLE = 1, 38, 4
PROT_EXEC = 4

# ---------------------------------------------------------------------------
# Wire codec (used on both sides)


class WireError(Exception):
    """The peer sent bytes that are not a well-formed frame."""


def encode_value(value, blobs: list):
    """Turn arguments or results into JSON plus a list of raw array blobs."""
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.dtype.kind not in NUMERIC_KINDS:
            raise TypeError(f"cannot send an array of dtype {value.dtype}")
        blobs.append(np.ascontiguousarray(value).tobytes())
        return {"__nd__": len(blobs) - 1, "dtype": value.dtype.str, "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return encode_value(value.item(), blobs)
    if isinstance(value, tuple):
        return {"__tuple__": [encode_value(v, blobs) for v in value]}
    if isinstance(value, list):
        return [encode_value(v, blobs) for v in value]
    if isinstance(value, dict):
        return {"__dict__": {str(k): encode_value(v, blobs) for k, v in value.items()}}
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise TypeError(f"cannot send a {type(value).__name__}")


def _decode_array(spec: dict, blobs: list):
    """Raw bytes plus a dtype and shape, checked before use: plain numbers, never objects."""
    import numpy as np

    index, dtype, shape = spec.get("__nd__"), spec.get("dtype"), spec.get("shape")
    if not isinstance(index, int) or not 0 <= index < len(blobs):
        raise WireError("array reference out of range")
    if not isinstance(dtype, str) or not isinstance(shape, list) or len(shape) > 32:
        raise WireError("malformed array description")
    if not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n < 1 << 40 for n in shape):
        raise WireError("malformed array shape")
    try:
        kind = np.dtype(dtype)
    except (TypeError, ValueError):
        raise WireError("unknown dtype") from None
    if kind.kind not in NUMERIC_KINDS or kind.str != dtype:
        raise WireError(f"dtype {dtype} is not a plain numeric type")
    count = 1
    for n in shape:
        count *= n
    if count * kind.itemsize != len(blobs[index]):
        raise WireError("array data does not match its shape")
    # A private, writable copy: the receiver may modify it.
    return np.frombuffer(blobs[index], dtype=kind).reshape(shape).copy()


def decode_value(value, blobs: list):
    if isinstance(value, dict):
        if "__nd__" in value:
            return _decode_array(value, blobs)
        if "__tuple__" in value:
            return tuple(decode_value(v, blobs) for v in value["__tuple__"])
        if "__dict__" in value:
            return {k: decode_value(v, blobs) for k, v in value["__dict__"].items()}
        raise WireError("unknown object in frame")
    if isinstance(value, list):
        return [decode_value(v, blobs) for v in value]
    return value


def encode_frame(header: dict, blobs: list | tuple = ()) -> bytes:
    data = json.dumps(header, allow_nan=True).encode()
    parts = [struct.pack("<I", len(data)), data, struct.pack("<I", len(blobs))]
    for blob in blobs:
        parts.append(struct.pack("<Q", len(blob)))
        parts.append(blob)
    return b"".join(parts)


def write_frame(fd: int, header: dict, blobs: list | tuple = ()) -> None:
    _write_all(fd, encode_frame(header, blobs))


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


class FrameReader:
    """Incremental parser for frames arriving in arbitrary chunks."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.error: str | None = None  # set at the first malformed frame; nothing is parsed after it

    def feed(self, chunk: bytes) -> list[tuple[dict, list]]:
        """The complete frames in ``chunk``, up to the first malformed one (see ``error``)."""
        if self.error is not None:
            return []
        self.buffer += chunk
        frames = []
        while True:
            try:
                frame = self._take()
            except WireError as exc:
                self.error = str(exc)
                return frames
            except (RecursionError, MemoryError, ValueError, TypeError):  # hostile JSON, e.g. nested 100k deep
                self.error = "frame header could not be parsed"
                return frames
            if frame is None:
                return frames
            frames.append(frame)

    def _take(self):
        buf = self.buffer
        if len(buf) < 4:
            return None
        (hlen,) = struct.unpack_from("<I", buf, 0)
        if hlen > MAX_HEADER:
            raise WireError("frame header too large")
        pos = 4 + hlen
        if len(buf) < pos + 4:
            return None
        try:
            header = json.loads(bytes(buf[4:pos]))
        except ValueError:
            raise WireError("frame header is not JSON") from None
        if not isinstance(header, dict):
            raise WireError("frame header is not an object")
        (count,) = struct.unpack_from("<I", buf, pos)
        if count > 1024:
            raise WireError("too many blobs in a frame")
        pos += 4
        blobs = []
        for _ in range(count):
            if len(buf) < pos + 8:
                return None
            (blen,) = struct.unpack_from("<Q", buf, pos)
            if blen > MAX_BLOB:
                raise WireError("blob too large")
            pos += 8
            if len(buf) < pos + blen:
                return None
            blobs.append(bytes(buf[pos : pos + blen]))
            pos += blen
        del buf[:pos]
        return header, blobs


def read_frame(fd: int) -> tuple[dict, list]:
    """Blocking read of exactly one frame (used by the job for its request)."""
    reader = FrameReader()
    while True:
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            raise WireError("request ended early")
        frames = reader.feed(chunk)
        if frames:
            return frames[0]


# ---------------------------------------------------------------------------
# Kernel interfaces through ctypes (libc and libseccomp from the read-only /usr)

_libc = None
_seccomp = None


def _libseccomp():
    global _seccomp
    if _seccomp is None:
        _seccomp = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    return _seccomp


def libc():
    global _libc
    if _libc is None:
        _libc = ctypes.CDLL("libc.so.6", use_errno=True)
    return _libc


def _check(result: int, what: str) -> None:
    if result != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{what}: {os.strerror(errno)}")


def unshare(flags: int) -> None:
    _check(libc().unshare(ctypes.c_int(flags)), "unshare")


def mount(source, target: str, fstype, flags: int, data) -> None:
    enc = lambda s: s.encode() if isinstance(s, str) else s  # noqa: E731
    _check(
        libc().mount(enc(source), enc(target), enc(fstype), ctypes.c_ulong(flags), enc(data)),
        f"mount {target}",
    )


def prctl(option: int, arg: int) -> None:
    _check(libc().prctl(option, ctypes.c_ulong(arg), 0, 0, 0), "prctl")


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_EQ, SCMP_CMP_MASKED_EQ = 4, 7


def scmp_errno(errno: int) -> int:
    return 0x00050000 | (errno & 0xFFFF)


# Calls a graded function never needs and that are the classic ways out of a sandbox.
DENIED_SYSCALLS = [
    "execve",
    "execveat",
    "fork",
    "vfork",
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "unshare",
    "setns",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "keyctl",
    "add_key",
    "request_key",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "kexec_load",
    "kexec_file_load",
    "reboot",
    "init_module",
    "finit_module",
    "delete_module",
    "swapon",
    "swapoff",
    "acct",
    "settimeofday",
    "clock_settime",
    "clock_adjtime",
    "adjtimex",
    "mknod",
    "mknodat",
    "personality",
    "syslog",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "lookup_dcookie",
    "iopl",
    "ioperm",
    "socket",
    "socketpair",
    "memfd_create",
    "fanotify_init",
    "migrate_pages",
    "move_pages",
    "mbind",
    "set_mempolicy",
    "pidfd_open",
    "pidfd_getfd",
]


_seccomp_ctx = None


def build_seccomp_filter():
    """The job's filter: allow by default, refuse the dangerous calls with EPERM.

    After it is loaded no process can be created (threads only), nothing can be executed,
    no socket opened and no new executable memory mapped. Non-native architectures
    are killed by libseccomp's default bad-arch action. The zygote builds it once; each
    job inherits the built rules through fork and only loads them.
    """
    global _seccomp_ctx
    if _seccomp_ctx is not None:
        return _seccomp_ctx
    lib = _libseccomp()
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint, ctypes.POINTER(_ArgCmp),
    ]  # fmt: skip
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
    if not ctx:
        raise OSError("seccomp_init failed")
    eperm = scmp_errno(1)

    def rule(action: int, name: str, *cmps: tuple[int, int, int, int]) -> None:
        nr = lib.seccomp_syscall_resolve_name(name.encode())
        if nr < 0:  # not on this architecture
            return
        array = (_ArgCmp * max(len(cmps), 1))(*[_ArgCmp(*c) for c in cmps])
        if lib.seccomp_rule_add_array(ctypes.c_void_p(ctx), action, nr, len(cmps), array) != 0:
            raise OSError(f"seccomp rule for {name} failed")

    for name in DENIED_SYSCALLS:
        rule(eperm, name)
    rule(eperm, "clone", (0, SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0))  # a new process, not a thread
    rule(scmp_errno(38), "clone3")  # ENOSYS: glibc falls back to clone, which is filtered above
    for name, arg in (("mmap", 2), ("mprotect", 2), ("pkey_mprotect", 2)):
        rule(eperm, name, (arg, SCMP_CMP_MASKED_EQ, PROT_EXEC, PROT_EXEC))
    for request in (0x5412, 0x541C):  # TIOCSTI, TIOCLINUX
        rule(eperm, "ioctl", (1, SCMP_CMP_EQ, request, 0))
    _seccomp_ctx = ctx
    return ctx


def install_seccomp() -> None:
    if _libseccomp().seccomp_load(ctypes.c_void_p(build_seccomp_filter())) != 0:
        raise OSError("seccomp_load failed")


# ---------------------------------------------------------------------------
# The job: runs as pid 1 of a fresh pid namespace, unprivileged, filtered


def _student_traceback(exc: BaseException, limit: int = 8) -> list[str]:
    """Only the frames from the student's own file, innermost last."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == SUBMISSION_FILENAME]
    return [f"line {f.lineno}, in {f.name}: {(f.line or '').strip()}"[:300] for f in frames[-limit:]]


def _describe(exc: BaseException) -> dict:
    try:
        message = str(exc)
    except BaseException:  # a hostile __str__
        message = "<message could not be shown>"
    return {
        "type": type(exc).__name__[:100],
        "message": message[:2000],
        "traceback": _student_traceback(exc),
    }


def _describe_result(result, inputs: list):
    """What the student returned, as data: a plain array or int, plus facts about it."""
    import numpy as np

    info = {"type": type(result).__name__[:100]}
    if isinstance(result, bool):
        return info, None
    if isinstance(result, (int, np.integer)):
        number = int(result)
        # An int no answer could need: reported as a type the trusted side will refuse.
        return (info, number) if number.bit_length() <= 63 else ({"type": "huge int"}, None)
    if isinstance(result, (float, np.floating)):
        return info, float(result)
    if isinstance(result, np.ndarray):
        info["dtype"] = str(result.dtype)
        info["aliases_input"] = any(np.shares_memory(result, a) for a in inputs)
        if result.dtype.kind in "biuf":
            return info, np.array(result, copy=True, subok=False)
        return info, None
    return info, None


def run_job(request: dict, blobs: list, out_fd: int, in_fd: int) -> None:
    """Load the submission, call the function once per test, stream each outcome.

    The visible tests come with the request. The hidden ones are only sent once this
    process has closed every descriptor of its stdout/stderr pipe (the supervisor waits
    for that pipe's end), so nothing printed can carry hidden data to the student.
    """

    code = request["code"]
    function_name = request["function"]
    tests = decode_value(request["tests"], blobs)
    del blobs
    import linecache

    # So tracebacks can quote the student's own lines.
    linecache.cache[SUBMISSION_FILENAME] = (
        len(code),
        None,
        code.splitlines(True),
        SUBMISSION_FILENAME,
    )
    module = type(sys)("submission")
    module.__file__ = SUBMISSION_FILENAME
    sys.modules["submission"] = module
    write_frame(out_fd, {"event": "loading"})
    try:
        compiled = compile(code, SUBMISSION_FILENAME, "exec", dont_inherit=True)
    except SyntaxError as exc:
        write_frame(
            out_fd,
            {"event": "syntax_error", "message": str(exc.msg), "line": exc.lineno, "column": exc.offset,
             "text": (exc.text or "").rstrip()[:300]},
        )  # fmt: skip
        return
    try:
        exec(compiled, module.__dict__)
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the student's code ended early
        write_frame(out_fd, {"event": "load_error", "error": _describe(exc)})
        return
    function = module.__dict__.get(function_name)
    if not callable(function):
        write_frame(out_fd, {"event": "missing_function", "found": type(function).__name__})
        return
    write_frame(out_fd, {"event": "loaded"})
    _run_tests(function, tests, 0, out_fd)
    write_frame(out_fd, {"event": "hidden_phase"})
    _close_output(in_fd, out_fd)
    hidden_request, hidden_blobs = read_frame(in_fd)
    hidden = decode_value(hidden_request["tests"], hidden_blobs)
    del hidden_request, hidden_blobs
    _run_tests(function, hidden, len(tests), out_fd)
    write_frame(out_fd, {"event": "done"})


def _close_output(in_fd: int, out_fd: int) -> None:
    """Point stdout/stderr at /dev/null and close every other descriptor (any dup of the pipe)."""
    null = os.open("/dev/null", os.O_WRONLY)
    os.dup2(null, 1)
    os.dup2(null, 2)
    _close_all_but({0, 1, 2, in_fd, out_fd})


def _close_all_but(keep: set[int]) -> None:
    for fd in range(3, max(keep)):
        if fd not in keep:
            with contextlib.suppress(OSError):
                os.close(fd)
    os.closerange(max(keep) + 1, 65536)  # one close_range() call


def _run_tests(function, tests: list, first_index: int, out_fd: int) -> None:
    import numpy as np

    for index, (args, kwargs) in enumerate(tests, start=first_index):
        write_frame(out_fd, {"event": "start", "test": index})
        inputs = [a for a in list(args) + list(kwargs.values()) if isinstance(a, np.ndarray)]
        try:
            result = function(*args, **kwargs)
            info, value = _describe_result(result, inputs)
        except BaseException as exc:
            write_frame(out_fd, {"event": "error", "test": index, "error": _describe(exc)})
            continue
        out_blobs: list = []
        try:
            payload = {
                "event": "result",
                "test": index,
                "info": info,
                "value": encode_value(value, out_blobs),
                "inputs_after": encode_value(inputs, out_blobs),
            }
            frame = encode_frame(payload, out_blobs)
        except BaseException as exc:
            write_frame(out_fd, {"event": "error", "test": index, "error": _describe(exc)})
            continue
        _write_all(out_fd, frame)


def _set_limits(limits: dict) -> None:
    import resource

    for name, value in (
        ("RLIMIT_AS", limits["address_space"]),
        ("RLIMIT_CPU", limits["cpu_seconds"]),
        ("RLIMIT_FSIZE", limits["file_size"]),
        ("RLIMIT_NOFILE", 64),
        ("RLIMIT_NPROC", limits["processes"]),
        ("RLIMIT_CORE", 0),
        ("RLIMIT_STACK", 64 << 20),
        ("RLIMIT_MEMLOCK", 0),
        ("RLIMIT_MSGQUEUE", 0),
    ):
        resource.setrlimit(getattr(resource, name), (value, value))


def job_main(fds: dict, limits: dict) -> int:
    """Pid 1 of the job's namespace. Returns the exit status."""
    in_fd, out_fd, log_fd = fds["in"], fds["out"], fds["log"]
    null = os.open("/dev/null", os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log_fd, 1)
    os.dup2(log_fd, 2)
    _close_all_but({0, 1, 2, in_fd, out_fd})
    sys.stdout = io.TextIOWrapper(io.FileIO(1, "w", closefd=False), write_through=True, errors="replace")
    sys.stderr = io.TextIOWrapper(io.FileIO(2, "w", closefd=False), write_through=True, errors="replace")
    sys.stdin = io.TextIOWrapper(io.FileIO(0, "r", closefd=False))

    _set_limits(limits)
    os.chdir("/tmp")
    uid = limits["uid"]
    os.setgroups([])
    os.setresgid(uid, uid, uid)
    os.setresuid(uid, uid, uid)
    prctl(PR_SET_NO_NEW_PRIVS, 1)
    install_seccomp()
    # From here on everything may be hostile: the request is read only now.
    request, blobs = read_frame(in_fd)
    run_job(request, blobs, out_fd, in_fd)
    sys.stdout.flush()
    return 0


def keeper_main(fds: dict, limits: dict) -> int:
    """Make fresh namespaces and a private /tmp, then start the job as their pid 1."""
    prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    # Join the job cgroup first: its memory and pids limits then bind everything below.
    for controller in sorted(os.listdir(CGROUP_DIR)):
        with open(f"{CGROUP_DIR}/{controller}", "w") as procs:
            procs.write("0")
    # No new network namespace per job: the zygote's (from bubblewrap) is already empty,
    # and the job's seccomp filter refuses socket() outright; a fresh one cost ~1.5 ms.
    # IPC does get a fresh namespace, so no SysV segment survives into the next job.
    unshare(CLONE_NEWPID | CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWUTS)
    mount(None, "/", None, MS_REC | MS_PRIVATE, None)
    mount(
        "tmpfs",
        "/tmp",
        "tmpfs",
        MS_NOSUID | MS_NODEV | MS_NOEXEC,
        f"size={limits['tmp_bytes']},mode=1777",
    )
    pid = os.fork()
    if pid == 0:
        code = 70
        try:
            code = job_main(fds, limits)
        except BaseException:
            # A failure of the job harness itself (not of student code, which is caught
            # inside run_job). Say so on the log pipe: the supervisor reports it.
            with contextlib.suppress(BaseException):
                os.write(2, ("\n[sandbox] " + traceback.format_exc()[-2000:]).encode())
        os._exit(code)
    for fd in fds.values():
        os.close(fd)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status)


# ---------------------------------------------------------------------------
# The zygote: one per worker slot, started by the supervisor inside bubblewrap

PRELOAD = [
    "numpy",
    "numpy.linalg",
    "numpy.fft",
    "numpy.random",
    "numpy.lib.stride_tricks",
    "numpy.ma",
    "math",
    "cmath",
    "itertools",
    "functools",
    "collections",
    "operator",
    "statistics",
    "fractions",
    "decimal",
    "random",
    "json",
    "re",
    "string",
    "textwrap",
    "typing",
    "dataclasses",
    "heapq",
    "bisect",
    "array",
    "copy",
    "enum",
    "abc",
    "numbers",
    "struct",
]


def zygote_main(control_fd: int) -> None:
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)
    libc(), build_seccomp_filter()  # loaded and built once here, so jobs only apply them
    control = socket.socket(fileno=control_fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    control.send(json.dumps({"event": "ready", "pid": os.getpid()}).encode())
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(control, 65536, 4)
        except OSError:
            return
        if not message:
            return  # the supervisor went away
        request = json.loads(message)
        named = dict(zip(("in", "out", "log"), fds, strict=False))
        pid = os.fork()
        if pid == 0:
            code = 71
            try:
                control.close()
                code = keeper_main(named, request["limits"])
            except BaseException:
                with contextlib.suppress(BaseException):
                    os.write(
                        named["log"],
                        ("\n[sandbox] " + traceback.format_exc()[-2000:]).encode(),
                    )
            os._exit(code)
        for fd in fds:
            os.close(fd)
        while True:
            # As pid 1 of bubblewrap's namespace the zygote also reaps orphans.
            reaped, status = os.waitpid(-1, 0)
            if reaped == pid:
                break
        if os.WIFSIGNALED(status):
            reply = {"event": "exit", "signal": os.WTERMSIG(status)}
        else:
            code = os.WEXITSTATUS(status)
            reply = {"event": "exit", "code": code} if code < 128 else {"event": "exit", "signal": code - 128}
        # Reap everything before answering (a killed keeper leaves its job to us), so
        # no zombie of this job is left when the next one starts.
        with contextlib.suppress(ChildProcessError):
            while True:
                os.waitpid(-1, 0)
        control.send(json.dumps(reply).encode())


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]))

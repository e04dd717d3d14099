# ptrace and process_vm_readv through raw syscall(): attach to pid 1, read another process's memory.
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
SYS_ptrace, SYS_process_vm_readv = 101, 310  # x86_64
PTRACE_TRACEME, PTRACE_ATTACH = 0, 16


class IoVec(ctypes.Structure):
    _fields_ = [("base", ctypes.c_void_p), ("len", ctypes.c_size_t)]


def conv2d(image, kernel, stride=1, padding="valid"):
    results = []
    for pid in (1, 2):
        rc = libc.syscall(SYS_ptrace, PTRACE_ATTACH, pid, 0, 0)
        results.append(("ptrace attach", pid, rc, ctypes.get_errno()))
    rc = libc.syscall(SYS_ptrace, PTRACE_TRACEME, 0, 0, 0)
    results.append(("ptrace traceme", 0, rc, ctypes.get_errno()))
    buf = ctypes.create_string_buffer(4096)
    local = IoVec(ctypes.cast(buf, ctypes.c_void_p), 4096)
    remote = IoVec(0x400000, 4096)
    for pid in (1, 2):
        rc = libc.syscall(SYS_process_vm_readv, pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
        results.append(("process_vm_readv", pid, rc, ctypes.get_errno()))
    if any(rc >= 0 for _, _, rc, _ in results):
        raise RuntimeError(f"ESCAPED: {results}")
    raise PermissionError(str(results))

# Map writable+executable memory (or make memory executable) and jump into it: x86_64 "mov eax, 42; ret".
import ctypes

libc = ctypes.CDLL(None, use_errno=True)
libc.mmap.restype = ctypes.c_void_p
libc.mmap.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_long]
libc.mprotect.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
PROT_READ, PROT_WRITE, PROT_EXEC = 1, 2, 4
MAP_PRIVATE, MAP_ANONYMOUS = 0x02, 0x20
CODE = b"\xb8\x2a\x00\x00\x00\xc3"


def conv2d(image, kernel, stride=1, padding="valid"):
    attempts = []
    rwx = libc.mmap(None, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    attempts.append(f"mmap rwx: {rwx} errno {ctypes.get_errno()}")
    page = libc.mmap(None, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0)
    ctypes.memmove(page, CODE, len(CODE))
    rc = libc.mprotect(page, 4096, PROT_READ | PROT_EXEC)
    attempts.append(f"mprotect rx: {rc} errno {ctypes.get_errno()}")
    if rc == 0:
        value = ctypes.CFUNCTYPE(ctypes.c_int)(page)()
        raise RuntimeError(f"ESCAPED: ran injected code, got {value}")
    if rwx not in (None, 2**64 - 1):
        raise RuntimeError(f"ESCAPED: mapped writable executable memory at {rwx}")
    raise PermissionError("; ".join(attempts))

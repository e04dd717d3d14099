# Read from address 8 through ctypes: SIGSEGV.
import ctypes


def conv2d(image, kernel, stride=1, padding="valid"):
    return ctypes.string_at(8)

"""Test cases for output_size: one axis, ints only, the answer is a Python int."""

from grader.spec import case

FIT_HINT = "When the window does not fit, the answer is 0, never negative."
FLOOR_HINT = "floor((n - k) / s) rounds towards minus infinity; int(...) of a negative fraction rounds towards 0."
SAME_HINT = "With 'same' the output size is ceil(n / s), whatever the kernel size."


def visible_cases():
    return [
        case("valid 3x3 kernel on 7 pixels", 7, 3, expect=5, hint="'valid': floor((n - k) / s) + 1."),
        case("valid with stride 2", 7, 3, 2, expect=3, hint="Divide by the stride before adding 1."),
        case("same with stride 2", 7, 3, 2, "same", expect=4, hint=SAME_HINT),
        case("int padding 1", 5, 3, 1, 1, expect=5, hint="An int padding p adds p on both sides: n + 2p."),
    ]


def hidden_cases():
    return [
        case("1x1 kernel", 6, 1, hint="A 1-wide kernel fits at every position."),
        case("kernel as large as the input", 5, 5, hint="A kernel exactly as large as the input fits once."),
        case("kernel larger than the input", 3, 5, hint=FIT_HINT),
        case("kernel larger than the input with stride", 3, 4, stride=2, hint=FLOOR_HINT),
        case("stride larger than the kernel", 10, 2, stride=3, hint="Count only windows that fit completely."),
        case(
            "windows that do not divide the input",
            10,
            3,
            stride=4,
            hint="Leftover inputs that cannot hold a whole window are dropped (round down).",
        ),
        case("same with an even kernel", 9, 4, 1, "same", hint=SAME_HINT),
        case("same with an even kernel and stride 2", 8, 2, stride=2, padding="same", hint=SAME_HINT),
        case("same with a kernel larger than the input", 3, 7, padding="same", hint=SAME_HINT),
        case("same with stride larger than the input", 5, 3, stride=7, padding="same", hint=SAME_HINT),
        case("int padding with stride", 7, 3, 2, 2, hint="Use floor((n + 2p - k) / s) + 1."),
        case("int padding 0 is valid", 6, 4, padding=0, hint="A padding of 0 behaves like 'valid'."),
        case("padding still too small", 1, 5, padding=1, hint=FIT_HINT),
        case("padding too small with stride", 2, 6, stride=3, padding=1, hint=FLOOR_HINT),
    ]


def random_cases(rng):
    def draw():
        n = int(rng.integers(1, 65))
        k = int(rng.integers(1, n + 4))
        s = int(rng.integers(1, 6))
        return n, k, s

    n1, k1, s1 = draw()
    n2, k2, s2 = draw()
    n3, k3, s3 = draw()
    p3 = int(rng.integers(0, 4))
    n4, k4, s4 = draw()
    return [
        case("random valid", n1, k1, s1, "valid", hint="'valid': floor((n - k) / s) + 1, and 0 if it does not fit."),
        case("random same", n2, k2, s2, "same", hint=SAME_HINT),
        case("random int padding", n3, k3, s3, p3, hint="floor((n + 2p - k) / s) + 1, and 0 if it does not fit."),
        case("random keyword arguments", n4, kernel_size=k4, stride=s4, hint="Accept keyword arguments."),
    ]

# Exceptions that fight being described: a raising __str__, a huge message, BaseException subclasses.
class Nasty(Exception):
    def __str__(self):
        raise RuntimeError("no message for you")

    def __repr__(self):
        raise RuntimeError("no repr either")


calls = 0


def conv2d(image, kernel, stride=1, padding="valid"):
    global calls
    calls += 1
    if calls % 3 == 1:
        raise Nasty()
    if calls % 3 == 2:
        raise KeyboardInterrupt("x" * 10_000_000)
    raise SystemExit(0)

# Never finishes importing.
while True:
    pass


def conv2d(image, kernel, stride=1, padding="valid"):
    return image

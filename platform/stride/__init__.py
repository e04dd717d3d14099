"""Stride's Django project.

This package lives in ``platform/stride`` and is imported as ``stride`` with the folder
``platform/`` on ``sys.path``. ``platform/`` itself is a plain folder, never a package:
a package named ``platform`` would shadow the standard library's module of that name.
"""

"""Stride's grader: loads exercise packages and grades submissions in a sandbox.

This package never imports Django and holds no database credentials.
"""

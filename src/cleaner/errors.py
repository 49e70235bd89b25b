"""Errors the user sees: each names the input and the problem in one line."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class of every error cleaner raises on purpose."""


class InputError(CleanerError):
    """An input page cannot be processed (binary, empty, undecodable, unreadable)."""

    def __init__(self, source: str, problem: str) -> None:
        super().__init__(f"{source}: {problem}")
        self.source = source
        self.problem = problem


class UsageError(CleanerError):
    """The command line or the configuration is wrong (exit status 2)."""

"""The error tree: every error we raise on purpose is an `AppError`, and only a user's own
mistake is a `UserError` (its text is shown to the chat as theirs to fix)."""

from __future__ import annotations

import inspect

from aiprogress.core import errors
from aiprogress.core.errors import AppError, LlmUnavailable, StorageError, UserError


def test_every_error_class_is_in_the_tree() -> None:
    outside = [
        name
        for name, value in vars(errors).items()
        if inspect.isclass(value) and issubclass(value, BaseException)
        if not issubclass(value, AppError)
    ]
    assert outside == []


def test_our_own_failures_are_not_the_users_mistake() -> None:
    # A boundary catches AppError; one outside the tree would escape it as a crash, and a
    # UserError's text would tell the chat it asked for something wrong.
    for failure in (LlmUnavailable, StorageError):
        assert issubclass(failure, AppError)
        assert not issubclass(failure, UserError)

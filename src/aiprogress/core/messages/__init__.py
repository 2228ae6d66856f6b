"""The one catalogue of what readers see, in Russian and English.

Handlers and writers ask for a message by key; nothing user-facing is written inline elsewhere.
A test checks that every key has both languages and the same placeholders in each.

The words live by topic (digest, bot, sources, compare, chart), merged in `catalogue`; the code
that looks them up and formats numbers and dates is in `formatting`, and the wording of stored
English text (a source's error, a fact's setting) in `wording`.
"""

from aiprogress.core.messages.catalogue import CATALOGUE
from aiprogress.core.messages.formatting import (
    count_of,
    format_number,
    is_same_multiple,
    language_of_locale,
    long_date,
    message,
    period_name,
    plural_form,
    short_date,
    times,
    window_span,
)
from aiprogress.core.messages.wording import setting_words, source_error

__all__ = [
    "CATALOGUE",
    "count_of",
    "format_number",
    "is_same_multiple",
    "language_of_locale",
    "long_date",
    "message",
    "period_name",
    "plural_form",
    "setting_words",
    "short_date",
    "source_error",
    "times",
    "window_span",
]

"""The message catalogue: both languages, the same placeholders, Russian plurals."""

from __future__ import annotations

import re
import string

import pytest

from aiprogress.core.errors import AmbiguousModel, DuplicateSource, ModelNotFound, SourceNotFound
from aiprogress.core.messages import (
    CATALOGUE,
    count_of,
    format_number,
    is_same_multiple,
    language_of_locale,
    message,
    setting_words,
    source_error,
    times,
)
from aiprogress.core.messages.catalogue import _merged
from aiprogress.core.types import Language


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(CATALOGUE))
def test_every_message_has_both_languages_and_the_same_placeholders(key: str) -> None:
    entry = CATALOGUE[key]
    assert set(entry) == set(Language)
    assert all(text.strip() for text in entry.values())
    assert placeholders(entry[Language.RU]) == placeholders(entry[Language.EN])


def test_a_key_repeated_across_topics_is_refused_not_silently_replaced() -> None:
    # The catalogue is merged from topic modules; a repeat there is no longer a lint error.
    first = {"digest.title": {Language.RU: "а", Language.EN: "a"}}
    second = {"digest.title": {Language.RU: "б", Language.EN: "b"}}
    with pytest.raises(ValueError, match=r"digest\.title"):
        _merged(first, second)
    assert _merged(first, {}) == first


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (1, "1 публикация"),
        (2, "2 публикации"),
        (4, "4 публикации"),
        (5, "5 публикаций"),
        (11, "11 публикаций"),
        (12, "12 публикаций"),
        (21, "21 публикация"),
        (22, "22 публикации"),
        (111, "111 публикаций"),
    ],
)
def test_russian_plurals(count: int, expected: str) -> None:
    assert count_of(count, "noun.item", Language.RU) == expected


def test_english_plurals() -> None:
    assert count_of(1, "noun.item", Language.EN) == "1 item"
    assert count_of(3, "noun.source.genitive", Language.EN) == "3 sources"
    assert count_of(3, "noun.source.genitive", Language.RU) == "3 источников"
    assert count_of(1, "noun.source.genitive", Language.RU) == "1 источника"


def test_numbers_as_each_language_writes_them() -> None:
    assert format_number(1048576, Language.EN, 0) == "1,048,576"
    assert format_number(1048576, Language.RU, 0) == "1\u00a0048\u00a0576"
    assert format_number(68.70, Language.RU) == "68,7"
    assert format_number(2.50, Language.EN, 2) == "2.5"


@pytest.mark.parametrize(
    ("factor", "ru", "en"),
    [
        (30, "30 раз", "30×"),
        (2, "2 раза", "2×"),
        (1.5, "1,5 раза", "1.5×"),
        (22, "22 раза", "22×"),
        # One decimal below 20×, whole from there; half up on the decimal form, so $1.25 against
        # $0.1 (12.499999… as a float) is 12.5× in digests and /compare alike.
        (1.25 / 0.1, "12,5 раза", "12.5×"),
        (19.96, "20 раз", "20×"),
        (21.4, "21 раз", "21×"),
        (30.5, "31 раз", "31×"),
        (2.02, "2 раза", "2×"),
    ],
)
def test_times(factor: float, ru: str, en: str) -> None:
    assert times(factor, Language.RU) == ru
    assert times(factor, Language.EN) == en


@pytest.mark.parametrize(
    ("factor", "same"),
    [(1, True), (1.04, True), (1 / 1.04, True), (1.05, False), (0.951, False), (0.96, True)],
)
def test_a_multiple_is_the_same_exactly_when_times_would_say_1(factor: float, same: bool) -> None:
    # Digests and /compare call a price the same by this one rule, either way round.
    assert is_same_multiple(factor) is same
    assert (times(max(factor, 1 / factor), Language.EN) == "1×") is same


def test_every_rule_an_input_error_names_has_its_message() -> None:
    # Chats word a malformed input by its rule (`bot.<topic>.<reason>`); a rule raised without
    # a message would fail the reply instead of explaining it.
    from pathlib import Path

    import aiprogress

    raised = re.compile(
        r"raise (InvalidInput|InvalidSourceUrl)\((?:[^()]|\([^()]*\))*?reason=\"(\w+)\""
    )
    topics = {"InvalidInput": "input", "InvalidSourceUrl": "url"}
    found = set()
    for path in Path(aiprogress.__file__).parent.rglob("*.py"):
        for kind, reason in raised.findall(path.read_text(encoding="utf-8")):
            found.add(f"bot.{topics[kind]}.{reason}")
    assert len(found) >= 12  # the scan still sees the raises
    assert sorted(found - set(CATALOGUE)) == []
    # Errors that name what went wrong themselves.
    for error in (
        SourceNotFound(7),
        DuplicateSource("https://example.org/feed"),
        DuplicateSource("https://example.org/feed", 7),
        ModelNotFound("gtp-9"),
        ModelNotFound("gtp-9", ("GPT-4o",)),
        AmbiguousModel("claude", ("Claude 3.5 Sonnet", "Claude 3 Opus")),
    ):
        for language in Language:
            assert message(f"bot.{error.topic}.{error.reason}", language, **error.values)


@pytest.mark.parametrize(
    ("stored", "ru", "en"),
    [
        # As the fetcher, the parser and the failure policy word them.
        ("HTTP 503 Service Unavailable", "сбой на сервере источника (HTTP 503)",
         "the source's server failed (HTTP 503)"),
        ("HTTP 404 Not Found", "ленты по этому адресу нет (HTTP 404)",
         "no feed at this address (HTTP 404)"),
        ("HTTP 403 Forbidden", "сервер не пускает (HTTP 403)",
         "the server refuses access (HTTP 403)"),
        ("HTTP 429 Too Many Requests", "сервер просит приходить реже (HTTP 429)",
         "the server asks us to come back later (HTTP 429)"),
        ("unexpected HTTP 204", "сервер ответил HTTP 204", "the server answered HTTP 204"),
        ("timed out", "сервер не ответил вовремя", "the server did not answer in time"),
        ("cannot connect to 127.0.0.1:9: Connect call failed ('127.0.0.1', 9)",
         "не удалось подключиться к 127.0.0.1:9", "could not connect to 127.0.0.1:9"),
        ("cannot connect to feeds.example:443: feeds.example resolves to a non-public address "
         "(10.0.0.1); refused", "адрес ведёт в локальную или частную сеть; такие разрешает "
         "AIPROGRESS_ALLOW_PRIVATE_URLS=true", "the address leads to a local or private "
         "network; AIPROGRESS_ALLOW_PRIVATE_URLS=true allows such addresses"),
        ("more than 5 redirects", "перенаправления по кругу или в никуда",
         "redirects that go nowhere usable"),
        ("HTTP 302 without a Location header", "перенаправления по кругу или в никуда",
         "redirects that go nowhere usable"),
        ("response is over the 10,485,760-byte limit", "ответ больше допустимого размера",
         "the response is over the size limit"),
        ("not an RSS, Atom or JSON feed: an HTML page", "по адресу HTML-страница, а не лента",
         "the address is an HTML page, not a feed"),
        ("not a JSON Feed: 'items' is not a list", "по адресу не лента RSS, Atom или JSON",
         "the address is not an RSS, Atom or JSON feed"),
        ("malformed feed: mismatched tag", "лента повреждена и не читается",
         "the feed is malformed and cannot be read"),
        ("refused: more than 100,000 XML elements",
         "лента отклонена: more than 100,000 XML elements",
         "the feed was refused: more than 100,000 XML elements"),
        ("internal error: KeyError", "сбой на нашей стороне", "a failure on our side"),
        ("something new", "ошибка: something new", "error: something new"),
        ("disabled after 8 failures in a row; last: timed out",
         "отключён после 8 ошибок подряд; последняя: сервер не ответил вовремя",
         "disabled after 8 failures in a row; last: the server did not answer in time"),
    ],
)  # fmt: skip
def test_a_sources_error_is_worded_in_each_language(stored: str, ru: str, en: str) -> None:
    assert source_error(stored, Language.RU) == ru
    assert source_error(stored, Language.EN) == en


@pytest.mark.parametrize(
    ("setting", "russian", "english"),
    [
        ("32k thinking", "32k токенов размышлений", "32k thinking"),
        ("high effort", "высокое усилие", "high effort"),
        (
            "extended thinking, parallel attempts",
            "расширенные размышления, параллельные попытки",
            "extended thinking, parallel attempts",
        ),
        ("parallel attempts, scaffolding", "параллельные попытки, особая обвязка", None),
        ("prompts over 128k tokens", "запросы длиннее 128k токенов", None),
        ("free experimental endpoint", "бесплатный экспериментальный эндпоинт", None),
        ("diff edit format", "формат правок diff", None),
        # Terms of the trade stay as written in both languages.
        ("5-shot, maj@32", "5-shot, maj@32", None),
        ("fp8", "fp8", None),
    ],
)
def test_settings_are_worded_in_the_readers_language(
    setting: str, russian: str, english: str | None
) -> None:
    assert setting_words(setting, Language.RU) == russian
    assert setting_words(setting, Language.EN) == (english or setting)


@pytest.mark.parametrize(
    ("locale", "language"),
    [
        ("en", Language.EN),
        ("en-GB", Language.EN),
        ("en-US", Language.EN),
        ("EN_gb", Language.EN),
        ("ru", Language.RU),
        ("ru-RU", Language.RU),
        ("de", None),
        ("pt-BR", None),
        ("", None),
        (None, None),
    ],
)
def test_a_users_app_language_is_the_catalogues_when_it_has_it(
    locale: str | None, language: Language | None
) -> None:
    assert language_of_locale(locale) is language


def test_two_names_of_one_model_are_said_plainly_in_chats() -> None:
    same = {"other": "gpt-4o", "name": "4o", "model": "GPT-4o"}
    assert message("bot.input.same_model", Language.EN, **same) == (
        "“gpt-4o” and “4o” are the same model, GPT-4o: name two different ones."
    )
    assert message("bot.input.same_name", Language.RU, name="gpt-4o") == (
        "Модель «gpt-4o» названа дважды: назовите две разные."
    )

"""A source's stored error, as /sources and /failing word it (see `wording.source_error`)."""

from __future__ import annotations

from aiprogress.core.types import Language

SOURCES: dict[str, dict[Language, str]] = {
    # --- a source's stored error, as /sources and /failing show it (see source_error) ---
    "source.error.http": {
        Language.RU: "сервер ответил HTTP {status}",
        Language.EN: "the server answered HTTP {status}",
    },
    "source.error.http.not_found": {
        Language.RU: "ленты по этому адресу нет (HTTP {status})",
        Language.EN: "no feed at this address (HTTP {status})",
    },
    "source.error.http.denied": {
        Language.RU: "сервер не пускает (HTTP {status})",
        Language.EN: "the server refuses access (HTTP {status})",
    },
    "source.error.http.busy": {
        Language.RU: "сервер просит приходить реже (HTTP {status})",
        Language.EN: "the server asks us to come back later (HTTP {status})",
    },
    "source.error.http.server": {
        Language.RU: "сбой на сервере источника (HTTP {status})",
        Language.EN: "the source's server failed (HTTP {status})",
    },
    "source.error.timeout": {
        Language.RU: "сервер не ответил вовремя",
        Language.EN: "the server did not answer in time",
    },
    "source.error.connect": {
        Language.RU: "не удалось подключиться к {address}",
        Language.EN: "could not connect to {address}",
    },
    "source.error.private": {
        Language.RU: "адрес ведёт в локальную или частную сеть; такие разрешает "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true",
        Language.EN: "the address leads to a local or private network; "
        "AIPROGRESS_ALLOW_PRIVATE_URLS=true allows such addresses",
    },
    "source.error.redirect": {
        Language.RU: "перенаправления по кругу или в никуда",
        Language.EN: "redirects that go nowhere usable",
    },
    "source.error.too_large": {
        Language.RU: "ответ больше допустимого размера",
        Language.EN: "the response is over the size limit",
    },
    "source.error.broken": {
        Language.RU: "ответ оборвался на середине",
        Language.EN: "the response broke off",
    },
    "source.error.html_page": {
        Language.RU: "по адресу HTML-страница, а не лента",
        Language.EN: "the address is an HTML page, not a feed",
    },
    "source.error.not_feed": {
        Language.RU: "по адресу не лента RSS, Atom или JSON",
        Language.EN: "the address is not an RSS, Atom or JSON feed",
    },
    "source.error.malformed": {
        Language.RU: "лента повреждена и не читается",
        Language.EN: "the feed is malformed and cannot be read",
    },
    "source.error.refused": {
        Language.RU: "лента отклонена: {detail}",
        Language.EN: "the feed was refused: {detail}",
    },
    "source.error.internal": {
        Language.RU: "сбой на нашей стороне",
        Language.EN: "a failure on our side",
    },
    "source.error.other": {Language.RU: "ошибка: {detail}", Language.EN: "error: {detail}"},
    "source.error.disabled": {
        Language.RU: "отключён после {failures} ошибок подряд; последняя: {last}",
        Language.EN: "disabled after {failures} failures in a row; last: {last}",
    },
}

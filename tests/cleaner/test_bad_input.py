"""Odd input: the cleaner returns a valid record with a warning, in time linear in the input size.

The big inputs here would take minutes with a quadratic step; they assert on the result, not on time.
"""

from __future__ import annotations

import random

import pytest

from newsdesk.cleaner import clean, core

PROSE = ("The harbour authority said on Tuesday that the new terminal would open next spring, "
         "after two years of delays caused by disputes over the contract. ")


def test_empty_body(raw) -> None:
    article = clean(raw(""))
    assert article.text == ""
    assert article.warnings == ["input body is empty"]


def test_html_without_body_text(raw) -> None:
    article = clean(raw("<html><head><title>Nothing here</title></head><body><nav>Home</nav></body></html>",
                        "text/html"))
    assert article.text == ""
    assert "no article text found" in article.warnings
    assert article.title == "Nothing here"


def junk_bytes(seed: int, size: int) -> str:
    return random.Random(seed).randbytes(size).decode("latin-1")


def test_binary_junk(raw) -> None:
    article = clean(raw(junk_bytes(1, 200_000)))
    assert any("binary" in w or "non-letter" in w for w in article.warnings)


@pytest.mark.parametrize("seed", range(40))
def test_binary_junk_labelled_html(raw, seed: int) -> None:
    article = clean(raw(junk_bytes(seed, 30_000), "text/html"))
    assert article.warnings
    assert not any("failed" in w for w in article.warnings)


def test_a_parser_surprise_falls_back_to_text(raw, monkeypatch) -> None:
    def broken(*_args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(core, "_clean_html", broken)
    article = clean(raw(f"<html><body><p>{PROSE}</p></body></html>", "text/html"))
    assert article.text == PROSE.strip()
    assert any("HTML cleaning failed (RuntimeError: boom)" in w for w in article.warnings)


def test_mojibake_is_repaired(raw) -> None:
    text = "Café owners’ protest — “we stay open”, said Zoë Müller. " * 5
    broken = text.encode("utf-8").decode("cp1252", errors="replace")
    article = clean(raw(f"Owners protest\n{broken}\n"))
    assert "Zoë Müller" in article.text
    assert any("re-decoded" in w for w in article.warnings)


def test_ten_megabyte_page(raw) -> None:
    chunk = f"<div class='x'><p>{PROSE}</p><ul><li><a href='/a'>link</a></li></ul></div>"
    html = "<html><body>" + chunk * (10_000_000 // len(chunk)) + "</body></html>"
    article = clean(raw(html, "text/html"))
    assert PROSE.strip() in article.text
    assert any("only the first" in w for w in article.warnings)


def test_deeply_nested_markup(raw) -> None:
    depth = 50_000
    html = "<html><body>" + "<div>" * depth + f"<p>{PROSE}</p>" + "</div>" * depth + "</body></html>"
    article = clean(raw(html, "text/html"))
    assert article.text == PROSE.strip()


def test_deeply_nested_inline_markup(raw) -> None:
    depth = 50_000
    html = "<html><body><p>" + "<span><a href='#'>" * depth + "x" + "</a></span>" * depth + f"</p><p>{PROSE}</p>"
    article = clean(raw(html, "text/html"))
    assert PROSE.strip() in article.text


def test_huge_single_line_of_text(raw) -> None:
    line = PROSE * 20_000  # one 2.8 MB line: no rule may scan it repeatedly
    article = clean(raw(line))
    assert article.text
    assert any("only the first" in w for w in article.warnings)


def test_many_short_lines(raw) -> None:
    body = "\n".join(f"Line {i} of a list ({i}/{i + 1}) | share" for i in range(100_000))
    article = clean(raw(body))
    assert isinstance(article.text, str)
    assert article.removed


def test_unclosed_tags_and_stray_brackets(raw) -> None:
    html = "<html><body><p>" + PROSE + "<div><p>" + PROSE + "<<<>>><b><i><u></p></div" * 3
    article = clean(raw(html, "text/html"))
    assert PROSE.strip() in article.text


def test_markup_just_past_the_depth_limit_is_flattened_and_just_below_is_not() -> None:
    from newsdesk.cleaner.sanitize import MAX_DEPTH, flatten_deep_markup

    def page(depth: int) -> str:
        return "<html><body>" + "<div>" * depth + "deep text" + "</div>" * depth + "</body></html>"

    assert flatten_deep_markup(page(MAX_DEPTH - 2)) == (page(MAX_DEPTH - 2), None)
    flat, warning = flatten_deep_markup(page(MAX_DEPTH + 1))
    assert warning is not None and "<div>" not in flat and "deep text" in flat

"""The short-text cache: answers for short texts are remembered, long texts are worked out anew."""

from __future__ import annotations

from cleaner.textcache import short_text_cache


def counting(max_chars: int) -> tuple[list[tuple[str, ...]], object]:
    calls: list[tuple[str, ...]] = []

    @short_text_cache(maxsize=8, max_chars=max_chars)
    def shout(text: str, suffix: str = "!") -> str:
        """Upper-case ``text`` and add ``suffix``."""
        calls.append((text, suffix))
        return text.upper() + suffix

    return calls, shout


def test_a_short_text_is_worked_out_once() -> None:
    calls, shout = counting(max_chars=20)
    assert [shout("theo dõi"), shout("theo dõi"), shout("theo dõi")] == ["THEO DÕI!"] * 3
    assert calls == [("theo dõi", "!")]
    assert shout.cache_info().hits == 2  # type: ignore[attr-defined]


def test_a_text_longer_than_the_limit_is_never_kept() -> None:
    calls, shout = counting(max_chars=20)
    long_text = "Thedevelopmentofinformationtechnology"
    assert shout(long_text) == shout(long_text) == long_text.upper() + "!"
    assert len(calls) == 2
    assert shout.cache_info().currsize == 0  # type: ignore[attr-defined]


def test_the_other_arguments_are_part_of_the_key() -> None:
    calls, shout = counting(max_chars=20)
    assert shout("vi", "?") == "VI?"
    assert shout("vi", "!") == "VI!"
    assert len(calls) == 2


def test_the_wrapper_keeps_the_name_and_the_docstring() -> None:
    _, shout = counting(max_chars=20)
    assert shout.__name__ == "shout"  # type: ignore[attr-defined]
    assert "Upper-case" in (shout.__doc__ or "")


def test_clear_caches_forgets_every_answer() -> None:
    from cleaner.textcache import clear_caches

    calls, shout = counting(max_chars=20)
    shout("ảnh 1")
    clear_caches()
    shout("ảnh 1")
    assert len(calls) == 2


def test_a_whole_page_keyed_for_its_page_key_is_not_kept_in_the_normal_form_cache() -> None:
    # Every page's text is keyed once (to find repeated pages): keeping its normal form would
    # hold a copy of thousands of pages, evicting the sentences whose forms are asked for again.
    from cleaner.stages.segment import normalize_for_id, text_key

    page = "Theo dõi ICTVietnam trên Google News. " * 200
    before = normalize_for_id.cache_info().currsize  # type: ignore[attr-defined]
    text_key(page)
    assert normalize_for_id.cache_info().currsize == before  # type: ignore[attr-defined]
    sentence = "The summit opened in Hanoi on Monday."
    text_key(sentence)
    assert normalize_for_id(sentence) == "the summit opened in hanoi on monday."
    assert normalize_for_id.cache_info().hits >= 1  # type: ignore[attr-defined]

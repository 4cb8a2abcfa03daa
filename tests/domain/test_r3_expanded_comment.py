"""R3: the expanded comment. What the conversation was about AND what was agreed."""

from __future__ import annotations

import pytest

from domain.comments import (
    DEFAULT_COMMENT_POLICY,
    DEFAULT_STOP_PHRASES,
    CommentPolicy,
    Reason,
    check_expanded_comment,
    check_expanded_text,
    is_expanded_comment,
)

DISCUSSED = "Обсудили поставку 20 труб на объект, клиенту важна цена"
AGREED = "Отправляю КП со скидкой до пятницы, созвон в понедельник"


@pytest.mark.parametrize(
    "shorthand",
    [
        "НД",
        "перезвонить",
        "сбросил",
        "пообщались",
        "думает",
        "ок",
        "нет ответа",
        "нд, перезвонить, сбросил",
        "ок ок ок",
        "ОК!!! ок... ок",
        "Не дозвонился. Перезвонить!",
        "не берёт трубку, перезвоню позже",
        "пообщались, думает",
        "Пообщались нормально",
        "н/д",
        "no answer",
        "call back",
        "thinking",
        "talked",
        "OK, call back later",
        "...",
        "—",
        "",
    ],
)
def test_r3b_shorthand_is_not_expanded(shorthand: str) -> None:
    assert not check_expanded_text(shorthand).ok
    assert not is_expanded_comment(shorthand, AGREED)
    assert not is_expanded_comment(DISCUSSED, shorthand)


@pytest.mark.parametrize(
    "seed_example",
    ["«НД»", "«ПЕРЕЗВОНИТЬ»", "«СБРОСИЛ»", "«ПООБЩАЛИСЬ»", "«ДУМАЕТ»"],
)
def test_r3b_every_seed_non_comment_fails(seed_example: str) -> None:
    check = check_expanded_text(seed_example)
    assert not check.ok
    assert check.reasons[0].key == "err-comment-stop-phrase"


@pytest.mark.parametrize(
    ("discussed", "agreed"),
    [
        (DISCUSSED, AGREED),
        ("Думает над КП, просит скидку 5%", "Пришлю новое КП завтра до обеда"),
        ("Цена 150 000 за партию устроила", "Подписываем договор 15.03 в офисе"),
        ("Discussed the pipe delivery schedule", "Send the proposal by Friday"),
        ("Клиент в отпуске до 20 числа", "Созвон 21.05 в 11:00 по договору"),
    ],
    ids=["typical", "stop-word-inside-real-content", "numbers-count", "english", "dates-count-as-words"],
)
def test_r3a_real_comment_passes(discussed: str, agreed: str) -> None:
    check = check_expanded_comment(discussed, agreed)
    assert check.ok, check.reasons
    assert check.reasons == ()
    assert is_expanded_comment(discussed, agreed)


@pytest.mark.parametrize(
    ("discussed", "agreed", "expected"),
    [
        (
            "",
            AGREED,
            (Reason("discussed", "err-comment-empty"),),
        ),
        (
            DISCUSSED,
            None,
            (Reason("agreed", "err-comment-empty"),),
        ),
        (
            "цена",
            AGREED,
            (Reason("discussed", "err-comment-too-short", {"min_words": 3, "words": 1}),),
        ),
        (
            "О цене и о КП",
            AGREED,
            (Reason("discussed", "err-comment-too-short", {"min_words": 3, "words": 2}),),
        ),
        (
            DISCUSSED,
            "перезвонить в пятницу",
            (Reason("agreed", "err-comment-stop-phrase", {"phrase": "перезвонить", "min_words": 3}),),
        ),
        (
            "нд",
            "думает",
            (
                Reason("discussed", "err-comment-stop-phrase", {"phrase": "нд", "min_words": 3}),
                Reason("agreed", "err-comment-stop-phrase", {"phrase": "думает", "min_words": 3}),
            ),
        ),
        (
            DISCUSSED,
            DISCUSSED.upper(),
            (Reason("agreed", "err-comment-repeats", {"min_words": 3}),),
        ),
        (
            DISCUSSED,
            DISCUSSED + ", ок",
            (Reason("agreed", "err-comment-repeats", {"min_words": 3}),),
        ),
        (
            DISCUSSED + ". " + AGREED,
            AGREED,
            (Reason("agreed", "err-comment-repeats", {"min_words": 3}),),
        ),
        (
            "Обсудили поставку труб",
            "Обсудили поставку труб, договорились",
            (Reason("agreed", "err-comment-repeats", {"min_words": 3}),),
        ),
    ],
    ids=[
        "discussed-empty",
        "agreed-missing",
        "one-word",
        "short-words-do-not-count",
        "stop-phrase-plus-one-word",
        "both-parts-shorthand",
        "agreed-is-a-copy",
        "agreed-is-a-copy-plus-filler",
        "agreed-pasted-inside-discussed",
        "agreed-adds-one-word",
    ],
)
def test_r3c_each_part_is_checked_on_its_own(
    discussed: str, agreed: str | None, expected: tuple[Reason, ...]
) -> None:
    check = check_expanded_comment(discussed, agreed)
    assert not check.ok
    assert check.reasons == expected


def test_r3c_yo_and_e_are_the_same_letter_for_stop_phrases() -> None:
    assert not check_expanded_text("не берет трубку").ok
    assert not check_expanded_text("Не берёт трубку").ok


def test_r3c_stop_phrases_match_whole_words_only() -> None:
    # «нд» is a stop phrase; «Индия» and «недоступность склада» are not shorthand.
    assert check_expanded_text("Поставка в Индию через склад").ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("Обсудили КП", False),
        ("Обсудили КП, отправлю", True),
    ],
    ids=["two-words", "three-words"],
)
def test_r3c_minimum_is_three_real_words(text: str, ok: bool) -> None:
    assert check_expanded_text(text).ok is ok


def test_r3c_thresholds_and_stop_phrases_are_configuration() -> None:
    policy = CommentPolicy.from_config(stop_phrases=["согласовали"], min_words=2)
    assert check_expanded_text("думает", policy).ok is False  # one word is still too short
    assert check_expanded_text("думает долго", policy).ok is True  # «думает» is no longer a stop phrase
    check = check_expanded_text("Согласовали", policy)
    expected = Reason("text", "err-comment-stop-phrase", {"phrase": "согласовали", "min_words": 2})
    assert check.reasons == (expected,)


def test_r3c_from_config_defaults_to_the_spec() -> None:
    assert CommentPolicy.from_config(None, None) == DEFAULT_COMMENT_POLICY
    assert CommentPolicy.from_config().stop_phrases == DEFAULT_STOP_PHRASES
    assert CommentPolicy.from_config(min_word_length=4).min_word_length == 4


def test_r3c_min_word_length_is_configuration() -> None:
    policy = CommentPolicy.from_config(min_word_length=4)
    assert check_expanded_text("КП на сад", policy).ok is False
    assert check_expanded_text("Обсудили поставку труб", policy).ok is True


@pytest.mark.parametrize(("min_words", "min_word_length"), [(0, 2), (3, 0)], ids=["words", "length"])
def test_r3c_nonsense_thresholds_are_refused(min_words: int, min_word_length: int) -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CommentPolicy.from_config(min_words=min_words, min_word_length=min_word_length)


def test_r3c_blank_stop_phrases_in_configuration_are_ignored() -> None:
    policy = CommentPolicy.from_config(stop_phrases=["", " , ", "нд"])
    assert check_expanded_text("Обсудили поставку труб", policy).ok


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        (DISCUSSED + ". " + AGREED, True),
        ("НД", False),
        (None, False),
    ],
    ids=["import-with-real-comment", "import-with-shorthand", "missing"],
)
def test_r3d_single_text_is_checked_as_a_whole(text: str | None, ok: bool) -> None:
    check = check_expanded_text(text)
    assert check.ok is ok
    assert all(reason.field == "text" for reason in check.reasons)


# ---------------------------------------------------------------------------------------------
# R3c: a keyboard cannot fake real words (issue 9, finding 7)
# ---------------------------------------------------------------------------------------------

KEYBOARD_FAKES = ["ааа ббб ввв", "йцу кен гшщ", "1 2 3", "4 5 6", "... ... ...", "тест тест тест"]


@pytest.mark.parametrize("fake", KEYBOARD_FAKES)
def test_r3c_numbers_mash_and_repeats_are_not_an_expanded_comment(fake: str) -> None:
    assert not check_expanded_text(fake).ok
    assert not is_expanded_comment(fake, AGREED)
    assert not is_expanded_comment(DISCUSSED, fake)


def test_r3c_numbers_alone_do_not_make_a_reached_call_qualify() -> None:
    check = check_expanded_comment("1 2 3", "4 5 6")
    assert check.reasons == (
        Reason("discussed", "err-comment-no-words", {"min_words": 3}),
        Reason("agreed", "err-comment-no-words", {"min_words": 3}),
    )


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("1 2 3", "err-comment-no-words"),
        ("ааа ббб ввв", "err-comment-no-words"),
        ("ЙЦУ КЕН ГШЩ", "err-comment-no-words"),
        ("фыва олдж ячсм", "err-comment-no-words"),
        ("qwe asd zxc", "err-comment-no-words"),
        ("ewq dsa cxz", "err-comment-no-words"),
        ("хахаха ха-ха-ха ааа-ббб", "err-comment-no-words"),
        ("КП ТЗ СМИ", "err-comment-too-short"),
        ("10 кг 5 шт 3 руб", "err-comment-no-words"),
        ("... ... ...", "err-comment-empty"),
        ("тест тест тест", "err-comment-too-short"),
        ("1 2 3 ноутбука", "err-comment-too-short"),
    ],
    ids=[
        "numbers",
        "repeated-letters",
        "keyboard-rows-in-capitals",
        "long-keyboard-runs",
        "qwerty-rows",
        "qwerty-rows-backwards",
        "repeated-syllables-and-hyphens",
        "abbreviations-alone",
        "units-alone",
        "punctuation",
        "one-word-three-times",
        "numbers-outnumber-words",
    ],
)
def test_r3c_refusal_names_what_is_missing(text: str, key: str) -> None:
    check = check_expanded_text(text)
    assert [reason.key for reason in check.reasons] == [key]


@pytest.mark.parametrize(
    "text",
    [
        "Обсудили поставку 20 ноутбуков",
        "Думает над КП, просит скидку 5%",
        "Обсудили кп, отправлю",
        "Договор с ООО «Ромашка» подписан",
        "Говорили про цену и про сроки",
        "Созвон 21.05 в 11:00 по договору",
        "Ждём ТЗ от клиента",
    ],
)
def test_r3c_numbers_units_and_abbreviations_count_beside_words(text: str) -> None:
    assert check_expanded_text(text).ok


def test_r3c_mash_in_capitals_does_not_count_as_an_abbreviation() -> None:
    check = check_expanded_text("Обсудили поставку ЙЦУ")
    assert check.reasons == (Reason("text", "err-comment-too-short", {"min_words": 3, "words": 2}),)
    assert check_expanded_text("Обсудили поставку ТЗ").ok


def test_r3c_the_agreed_part_cannot_add_only_numbers() -> None:
    check = check_expanded_comment("Обсудили поставку ноутбуков", "Обсудили поставку ноутбуков 5 6 7")
    assert check.reasons == (Reason("agreed", "err-comment-repeats", {"min_words": 3}),)


def test_r3c_a_mash_part_of_a_hyphenated_word_is_mash() -> None:
    policy = CommentPolicy.from_config(min_word_length=2)
    assert not policy.is_real_word("йцу-ок")
    assert policy.is_real_word("кто-то")
    assert not policy.is_real_word("ааа")

"""R3: the expanded comment.

R3a: an expanded comment says what the conversation was about AND what was agreed.
R3b: shorthand and filler («НД», «перезвонить», «сбросил», «пообщались», «думает», «ок», "no answer",
"call back") is not an expanded comment; it neither prolongs a deal nor makes it active.
R3c: the two parts, «О чём говорили?» and «О чём договорились / следующий шаг?», are checked each on
its own. A part is rejected when it has fewer than ``min_words`` real words, when it is made only of
stop phrases and punctuation, or when it repeats the other part.
R3d: a single text from an import or an edit is checked by the same rule as a whole.

How a part is judged:

* Text is compared case-insensitively with «ё» read as «е».
* A *real word* has at least ``min_word_length`` letters (3 by default: «цена», «над»), and is not
  keyboard mash: one letter repeated («ааа»), a syllable repeated («хахаха»), or a run of keys along
  a keyboard row in either direction («йцу», «фыва», «олд», «qwe», «dsa»). Each distinct word counts
  once, so «тест тест тест» is one word. Short words such as «в», «и», «по» are not real words.
  A few real words look like mash and are lost: «про» (a preposition anyway), «лор».
* Numbers («20», «15.03»), units («руб», «шт») and short abbreviations (a word of 2+ letters typed in
  capitals that is not mash, «КП», «ТЗ», or a known one in any case, «кп», «ООО», «СМИ») *support*
  real words: they count only beside them, each real word letting at most one of them count.
  «Обсудили КП, отправлю» and «Поставка 20 ноутбуков» pass; «КП ТЗ СМИ» is too short. A part made
  only of numbers, units, punctuation and mash («1 2 3», «ааа ббб ввв», «йцу кен гшщ») is refused as
  having no word at all (``err-comment-no-words``).
* Stop phrases are matched as whole words, longest first («не дозвонился» before «не»). Their words
  carry no content, so they do not count towards ``min_words``: «ок ок ок» and «нд, перезвонить,
  сбросил» fail, while «Думает над КП, просит скидку 5%» passes.
* The *agreed* part repeats the *discussed* part when it adds fewer than ``min_words`` content words
  that the discussed part does not already have. This catches a copy, a near copy («…, ок»), and
  either part pasted inside the other. Only the agreed part is flagged: it is asked second.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

RU_STOP_PHRASES: frozenset[str] = frozenset(
    {
        "нд",
        "н/д",
        "не дозвонился",
        "не дозвонилась",
        "не дозвонились",
        "недозвон",
        "не дозвон",
        "перезвонить",
        "перезвоню",
        "перезвонит",
        "перезвонить позже",
        "сбросил",
        "сбросила",
        "сброс",
        "пообщались",
        "поговорили",
        "созвонились",
        "думает",
        "подумает",
        "ок",
        "окей",
        "норм",
        "нормально",
        "нет ответа",
        "не ответил",
        "не ответила",
        "не отвечает",
        "не берет",
        "не берет трубку",
        "занято",
        "недоступен",
        "недоступна",
        "не доступен",
        "вне зоны",
        "вне зоны доступа",
        "абонент недоступен",
        "автоответчик",
        "гудки",
        "тишина",
        "позже",
        "потом",
    }
)
EN_STOP_PHRASES: frozenset[str] = frozenset(
    {
        "no answer",
        "no reply",
        "n/a",
        "call back",
        "callback",
        "call later",
        "will call back",
        "thinking",
        "thinks",
        "thinking about it",
        "talked",
        "spoke",
        "ok",
        "okay",
        "busy",
        "voicemail",
        "unavailable",
        "not available",
        "hung up",
        "later",
    }
)

# Units and currency abbreviations: like numbers, they count only beside real words (R3c).
DEFAULT_UNIT_WORDS: frozenset[str] = frozenset(
    {
        "руб",
        "коп",
        "тыс",
        "млн",
        "млрд",
        "шт",
        "кг",
        "км",
        "мм",
        "см",
        "мин",
        "сек",
        "мес",
        "usd",
        "eur",
        "rub",
        "pcs",
        "kg",
        "km",
        "mm",
        "cm",
        "min",
        "sec",
        "mln",
        "bn",
    }
)
# Short abbreviations that count beside real words even when typed in lower case («кп», «тз»).
# «ооо» and «сми» are here because their letters look like mash (a repeated letter, a keyboard run).
DEFAULT_ABBREVIATIONS: frozenset[str] = frozenset({"кп", "тз", "ип", "ооо", "сми"})
# The letter rows of the ЙЦУКЕН and QWERTY keyboards: a run along a row is keyboard mash.
KEYBOARD_ROWS: tuple[str, ...] = (
    "йцукенгшщзхъ",
    "фывапролджэ",
    "ячсмитьбю",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
)
_MIN_RUN = 3

DEFAULT_MIN_WORDS = 3
DEFAULT_MIN_WORD_LENGTH = 3

_TOKEN = re.compile(r"\d+(?:[.,:/\-]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_WORD_PARTS = re.compile(r"[-'’]")


def _keyboard_runs() -> frozenset[str]:
    runs: set[str] = set()
    for row in KEYBOARD_ROWS:
        for line in (row, row[::-1]):
            for start in range(len(line)):
                runs.update(line[start:end] for end in range(start + _MIN_RUN, len(line) + 1))
    return frozenset(runs)


_KEYBOARD_RUNS = _keyboard_runs()


def normalise_comment(text: str) -> str:
    """Comparison form of a comment: case-folded, «ё»→«е»."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _raw_tokens(text: str) -> list[str]:
    """The words and numbers of ``text`` as typed (NFC), so that capitals can still be seen."""
    return _TOKEN.findall(unicodedata.normalize("NFC", text))


def _tokens(text: str) -> list[str]:
    return [normalise_comment(token) for token in _raw_tokens(text)]


def is_mash(letters: str) -> bool:
    """Keyboard mash rather than a word: one letter repeated («ааа»), a short syllable repeated at
    least three times («хахаха»), or a run of 3+ keys along a keyboard row in either direction
    («йцу», «фыва», «олд», «qwe», «dsa»). ``letters`` is in comparison form (:func:`normalise_comment`)."""
    if len(set(letters)) == 1 or letters in _KEYBOARD_RUNS:
        return True
    return len(letters) >= 6 and len(letters) % 2 == 0 and letters == letters[:2] * (len(letters) // 2)


@dataclass(frozen=True)
class Words:
    """What a text is made of (R3c): distinct real words, distinct supporting tokens, stop phrases.

    Supporting tokens are numbers («20», «15.03»), units («руб», «шт») and short abbreviations
    («КП», «ТЗ»). They count only beside real words: each real word lets at most one of them count.
    """

    real: tuple[str, ...]
    support: tuple[str, ...]
    stop_phrases: tuple[str, ...]
    # Whether any word (of any length, «в», «КП») is there at all, besides numbers, units and mash.
    has_words: bool = False

    @property
    def count(self) -> int:
        """The number of content words this text is credited with."""
        return len(self.real) + min(len(self.support), len(self.real))

    def beyond(self, other: Words) -> Words:
        """The words of this text that ``other`` does not have (for the repeat check)."""
        known = {*other.real, *other.support}
        return Words(
            real=tuple(word for word in self.real if word not in known),
            support=tuple(word for word in self.support if word not in known),
            stop_phrases=(),
        )


@dataclass(frozen=True)
class CommentPolicy:
    """The R3 thresholds, stop phrases and vocabularies. They come from configuration (R3c), not code."""

    stop_phrases: frozenset[str]
    min_words: int = DEFAULT_MIN_WORDS
    min_word_length: int = DEFAULT_MIN_WORD_LENGTH
    unit_words: frozenset[str] = DEFAULT_UNIT_WORDS
    abbreviations: frozenset[str] = DEFAULT_ABBREVIATIONS
    # Stop phrases by their first word, longest first: a comment is scanned once, whatever the list's size.
    _by_first: dict[str, tuple[tuple[str, ...], ...]] = dataclasses.field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.min_words < 1 or self.min_word_length < 1:
            raise ValueError("min_words and min_word_length must be at least 1")
        phrases = {tuple(_tokens(phrase)) for phrase in self.stop_phrases}
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in sorted((p for p in phrases if p), key=lambda p: (-len(p), p)):
            by_first.setdefault(phrase[0], []).append(phrase)
        object.__setattr__(self, "_by_first", {word: tuple(group) for word, group in by_first.items()})

    @classmethod
    def from_config(
        cls,
        stop_phrases: Iterable[str] | None = None,
        min_words: int | None = None,
        *,
        min_word_length: int | None = None,
    ) -> CommentPolicy:
        """Build the policy from settings; ``None`` keeps the default of SPEC R3b/R3c."""
        return cls(
            stop_phrases=DEFAULT_STOP_PHRASES if stop_phrases is None else frozenset(stop_phrases),
            min_words=DEFAULT_MIN_WORDS if min_words is None else min_words,
            min_word_length=DEFAULT_MIN_WORD_LENGTH if min_word_length is None else min_word_length,
        )

    def is_real_word(self, token: str) -> bool:
        """A word of at least ``min_word_length`` letters that is not mash (:func:`is_mash`).

        ``token`` is in comparison form. Numbers, units and abbreviations are not real words.
        """
        letters = "".join(char for char in token if char.isalpha())
        if len(letters) < self.min_word_length or (1 < len(letters) < _MIN_RUN and is_mash(letters)):
            return False
        return self._is_word(token)

    def _is_word(self, token: str) -> bool:
        """Any word, however short («в», «КП»), that is neither a number, a unit nor mash."""
        if token[0].isdigit() or token in self.unit_words:
            return False
        letters = "".join(char for char in token if char.isalpha())
        parts = [part for part in (letters, *_WORD_PARTS.split(token)) if len(part) >= _MIN_RUN]
        return not any(is_mash(part) for part in parts)

    def _is_support(self, token: str, typed: str) -> bool:
        """A number, a unit, a known abbreviation, or a non-mash word of 2+ capitals («ТЗ»)."""
        return (
            token[0].isdigit()
            or token in self.unit_words
            or token in self.abbreviations
            or (typed.isupper() and sum(char.isalpha() for char in typed) >= 2 and self._is_word(token))
        )

    def words(self, text: str) -> Words:
        """R3c: the real words, supporting tokens and stop phrases of a text; stop phrases longest first."""
        typed = _raw_tokens(text)
        tokens = [normalise_comment(token) for token in typed]
        real: dict[str, None] = {}
        support: dict[str, None] = {}
        found: list[str] = []
        has_words = False
        index = 0
        while index < len(tokens):
            candidates = self._by_first.get(tokens[index], ())
            phrase = next((p for p in candidates if tuple(tokens[index : index + len(p)]) == p), None)
            if phrase is not None:
                found.append(" ".join(phrase))
                index += len(phrase)
                continue
            token = tokens[index]
            if self.is_real_word(token):
                real[token] = None
            elif self._is_support(token, typed[index]):
                support[token] = None
            has_words = has_words or self._is_word(token)
            index += 1
        return Words(real=tuple(real), support=tuple(support), stop_phrases=tuple(found), has_words=has_words)


DEFAULT_STOP_PHRASES: frozenset[str] = RU_STOP_PHRASES | EN_STOP_PHRASES
DEFAULT_COMMENT_POLICY = CommentPolicy(stop_phrases=DEFAULT_STOP_PHRASES)


@dataclass(frozen=True)
class Reason:
    """Why a comment part is not expanded: which part, the Fluent message id and its variables."""

    field: str
    key: str
    params: dict[str, str | int] = dataclasses.field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class CommentCheck:
    """The verdict of R3: ``ok``, or the reasons it is not."""

    ok: bool
    reasons: tuple[Reason, ...] = ()

    @classmethod
    def of(cls, reasons: Iterable[Reason]) -> CommentCheck:
        collected = tuple(reasons)
        return cls(ok=not collected, reasons=collected)


def _part_reason(field: str, text: str, policy: CommentPolicy) -> Reason | None:
    """R3b/R3c: empty, made of stop phrases, without real words, or too short; ``None`` when it passes."""
    if not _tokens(text):
        return Reason(field, "err-comment-empty")
    words = policy.words(text)
    if words.count >= policy.min_words:
        return None
    if words.stop_phrases:
        return Reason(
            field, "err-comment-stop-phrase", {"phrase": words.stop_phrases[0], "min_words": policy.min_words}
        )
    if not words.has_words:
        return Reason(field, "err-comment-no-words", {"min_words": policy.min_words})
    return Reason(field, "err-comment-too-short", {"min_words": policy.min_words, "words": words.count})


def check_expanded_text(text: str | None, policy: CommentPolicy = DEFAULT_COMMENT_POLICY) -> CommentCheck:
    """R3d: a single comment (an import, an edit, a deal's comment) judged as a whole."""
    reason = _part_reason("text", text or "", policy)
    return CommentCheck.of(() if reason is None else (reason,))


def check_expanded_comment(
    discussed: str | None, agreed: str | None, policy: CommentPolicy = DEFAULT_COMMENT_POLICY
) -> CommentCheck:
    """R3a/R3c: what was discussed AND what was agreed, each part judged on its own.

    Each part gets at most one reason. The repeat check runs only when both parts are otherwise
    fine, so a manager fixes one thing at a time.
    """
    discussed, agreed = discussed or "", agreed or ""
    reasons = [
        reason
        for reason in (_part_reason("discussed", discussed, policy), _part_reason("agreed", agreed, policy))
        if reason is not None
    ]
    if not reasons and _repeats(agreed, discussed, policy):
        reasons.append(Reason("agreed", "err-comment-repeats", {"min_words": policy.min_words}))
    return CommentCheck.of(reasons)


def _repeats(part: str, other: str, policy: CommentPolicy) -> bool:
    """R3c: ``part`` adds fewer than ``min_words`` content words that ``other`` lacks."""
    return policy.words(part).beyond(policy.words(other)).count < policy.min_words


def is_expanded_comment(
    discussed: str | None, agreed: str | None, policy: CommentPolicy = DEFAULT_COMMENT_POLICY
) -> bool:
    """R3: True when both parts pass :func:`check_expanded_comment`."""
    return check_expanded_comment(discussed, agreed, policy).ok

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
* A *real word* is a run of letters with at least ``min_word_length`` letters («КП», «цена»), or a
  number («15.03», «150»). Prepositions such as «в», «и» are not real words.
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

DEFAULT_MIN_WORDS = 3
DEFAULT_MIN_WORD_LENGTH = 2

_TOKEN = re.compile(r"\d+(?:[.,:/\-]\d+)*|[^\W\d_]+(?:[-'’][^\W\d_]+)*")


def normalise_comment(text: str) -> str:
    """Comparison form of a comment: case-folded, «ё»→«е»."""
    return unicodedata.normalize("NFC", text).casefold().replace("ё", "е")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(normalise_comment(text))


@dataclass(frozen=True)
class CommentPolicy:
    """The R3 thresholds and stop phrases. They come from configuration (R3c), not code."""

    stop_phrases: frozenset[str]
    min_words: int = DEFAULT_MIN_WORDS
    min_word_length: int = DEFAULT_MIN_WORD_LENGTH
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
        """A number, or a word with at least ``min_word_length`` letters."""
        return token[0].isdigit() or sum(char.isalpha() for char in token) >= self.min_word_length

    def split(self, text: str) -> tuple[list[str], list[str]]:
        """(content words, stop phrases found) of a text; stop phrases are matched longest first."""
        tokens = _tokens(text)
        content: list[str] = []
        found: list[str] = []
        index = 0
        while index < len(tokens):
            candidates = self._by_first.get(tokens[index], ())
            phrase = next((p for p in candidates if tuple(tokens[index : index + len(p)]) == p), None)
            if phrase is not None:
                found.append(" ".join(phrase))
                index += len(phrase)
                continue
            if self.is_real_word(tokens[index]):
                content.append(tokens[index])
            index += 1
        return content, found


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
    """R3b/R3c: empty, made of stop phrases, or too short; ``None`` when the part passes."""
    if not _tokens(text):
        return Reason(field, "err-comment-empty")
    content, found = policy.split(text)
    if len(content) >= policy.min_words:
        return None
    if found:
        return Reason(field, "err-comment-stop-phrase", {"phrase": found[0], "min_words": policy.min_words})
    return Reason(field, "err-comment-too-short", {"min_words": policy.min_words, "words": len(content)})


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
    other_words = set(policy.split(other)[0])
    new_words = {word for word in policy.split(part)[0] if word not in other_words}
    return len(new_words) < policy.min_words


def is_expanded_comment(
    discussed: str | None, agreed: str | None, policy: CommentPolicy = DEFAULT_COMMENT_POLICY
) -> bool:
    """R3: True when both parts pass :func:`check_expanded_comment`."""
    return check_expanded_comment(discussed, agreed, policy).ok

"""The tense of the clause around a date expression, from auxiliaries and verb forms: PAST, PRESENT, FUTURE or None."""

from __future__ import annotations

import re

PAST, PRESENT, FUTURE = "PAST", "PRESENT", "FUTURE"

_FUTURE_WORDS = frozenset("will 'll shall won't wo gonna".split())
_PAST_AUX = frozenset("was were had did hadn't didn't wasn't weren't".split())
_PRESENT_AUX = frozenset("is are am has have does do isn't aren't hasn't haven't doesn't don't".split())
_PERFECT = frozenset("has have hasn't haven't".split())
_IRREGULAR_PAST = frozenset(
    """said told went came took made got gave met held left saw began became fell rose won lost sent spent found
    brought thought paid sold bought led struck broke wrote spoke ran kept knew grew drew flew fought caught taught
    stood understood chose forgot shot fled sought won wore threw drove rode hid bit swore sank sang froze ate
    heard meant felt dealt built lent sent slept swept wept dug hung stuck spun struck overtook undertook withdrew
    arose awoke forbade foresaw oversaw""".split()
)
# Words ending in -ed that are not past-tense verbs.
_NOT_PAST_ED = frozenset(
    """need needs indeed speed seed feed bed red shed hundred bred united based alleged proposed so-called
    expected scheduled planned supposed due related concerned detailed advanced limited armed aged
    interested reported""".split()
)
# Present-tense verbs that news uses for schedules ("the trial begins Sept. 16") and reports ("says").
_PRESENT_VERBS = frozenset(
    """says say insists believes thinks expects plans wants hopes begins starts opens ends closes runs resumes
    meets expires arrives leaves returns holds takes goes comes falls lasts remains""".split()
)
_SEMI_AUX = frozenset("be been being not also still already just never n't then now reportedly".split())
# "expected to meet", "plans to hold", "is set to": an intention about the future.
_FUTURE_PHRASE = re.compile(
    r"\b(?:expect(?:s|ed)?|scheduled|set|due|going|plan(?:s|ned)?|intends?|intended|hopes?|hoped|aims?|aimed"
    r"|is|are|will|would|wants?|wanted|promised|vowed|pledged|threatened|agreed|decided|prepares?|preparing|slated"
    r"|poised|likely|ready|about)\s+to\s+\w+(?:\s+\w+)?\s*$|\b(?:next|upcoming|coming)\b[^,.;]*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’]*")


def clause_tense(text: str, sentence: tuple[int, int], start: int, end: int) -> str | None:
    """The tense governing the expression at ``start:end`` in the sentence span, or None when no verb says."""
    s_start, s_end = sentence
    left = text[s_start:start]
    if _FUTURE_PHRASE.search(left[-60:]):
        return FUTURE
    left_words = [(m.group().lower().replace("’", "'"), m.start()) for m in _WORD.finditer(left)]
    right_words = [(m.group().lower().replace("’", "'"), m.start()) for m in _WORD.finditer(text, end, s_end)]
    tense = _nearest_tense(list(reversed(left_words)), left_words)
    if tense:
        return tense
    return _nearest_tense(right_words, None)


def _nearest_tense(words: list[tuple[str, int]], ordered_left: list[tuple[str, int]] | None) -> str | None:
    """The tense of the first verb met in ``words``, read through its auxiliaries."""
    for i, (word, _) in enumerate(words):
        kind = _verb_kind(word)
        if kind is None:
            continue
        if ordered_left is None:
            following = words[i + 1][0] if i + 1 < len(words) else ""
            return _with_perfect(word, kind, following)
        # Walk back through the verb group: "will be held", "has been", "had already left".
        j = len(ordered_left) - 1 - i
        following = ordered_left[j + 1][0] if j + 1 < len(ordered_left) else ""
        for k in range(j - 1, max(-1, j - 4), -1):
            before = ordered_left[k][0]
            aux = _aux_kind(before)
            if aux:
                return _with_perfect(before, aux, ordered_left[k + 1][0])
            if before not in _SEMI_AUX and _verb_kind(before) is None:
                break
        return _with_perfect(word, kind, following)
    return None


def _with_perfect(word: str, kind: str, following: str) -> str:
    """Present perfect ("has said", "have been") reports the past."""
    if word in _PERFECT and (following in ("been", "not", "already", "just") or _verb_kind(following) == PAST):
        return PAST
    return kind


def _aux_kind(word: str) -> str | None:
    if word in _FUTURE_WORDS:
        return FUTURE
    if word in _PAST_AUX:
        return PAST
    if word in _PRESENT_AUX:
        return PRESENT
    return None


def _verb_kind(word: str) -> str | None:
    aux = _aux_kind(word)
    if aux:
        return aux
    if word.endswith("'ll"):
        return FUTURE
    if word in _IRREGULAR_PAST:
        return PAST
    if word.endswith("ed") and len(word) > 4 and word not in _NOT_PAST_ED:
        return PAST
    if word in _PRESENT_VERBS:
        return PRESENT
    return None

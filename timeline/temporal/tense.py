"""The tense of the clause around a date expression, from auxiliaries and verb forms: PAST, PRESENT, FUTURE or None."""

from __future__ import annotations

import re
from functools import lru_cache

from .patterns import lower_case_rule

PAST, PRESENT, FUTURE = "PAST", "PRESENT", "FUTURE"
# "would": the future as seen from a past report; the dateline's own day still counts ("said the snow would
# cause disruption on Friday", written on that Friday).
PROSPECTIVE = "PROSPECTIVE"
_REACH = 200

_FUTURE_WORDS = frozenset("will 'll shall won't wo gonna".split())
_PAST_AUX = frozenset("was were had did hadn't didn't wasn't weren't".split())
_PRESENT_AUX = frozenset("is are am has have does do isn't aren't hasn't haven't doesn't don't".split())
_PERFECT = frozenset("has have hasn't haven't".split())
_IRREGULAR_PAST = frozenset(
    """said told went came took made got gave met held left saw began became fell rose won lost sent spent found
    brought thought paid sold bought led struck broke wrote spoke ran kept knew grew drew flew fought caught taught
    stood understood chose forgot sought shot fled wore threw drove rode hid bit swore sank sang froze ate heard
    meant felt dealt built lent slept swept wept dug hung stuck spun overtook undertook withdrew arose awoke forbade
    foresaw oversaw""".split()
)
# Words ending in -ed that are not past-tense verbs.
_NOT_PAST_ED = frozenset(
    """need needs indeed speed seed feed bed red shed hundred bred united based alleged so-called
    expected scheduled supposed due related concerned detailed advanced limited armed aged interested""".split()
)
_PRESENT_VERBS = frozenset("says say insists believes thinks wants remains".split())
# The present of a timetable ("the trial begins Sept. 16", "the offer expires on Dec. 31") speaks of the future.
# Their plain form after a plural subject ("schools reopen on Sept. 16") is a timetable too, but "the end", "an open
# door" and "the return" are nouns and adjectives, so the plain form counts only right before the date's preposition.
_SCHEDULE_PLAIN = frozenset("begin start open end close resume meet expire reopen".split())
_SCHEDULE_VERBS = frozenset(
    "begins starts opens ends closes resumes meets expires arrives leaves returns reopens takes".split()
)
_SEMI_AUX = frozenset(
    "be been being not also still already just never n't then now reportedly remain remains stay stays get".split()
)
# Modals put the clause in the future as seen from the dateline ("the court may rule on Friday").
# "could" and "might" are left out: "could not be located Wednesday" reports the past as often as not.
_MODALS = frozenset("would may should must can 'd".split())
# "expected to meet", "plans to hold", "is set to": an intention about the future.
_INTENT_BEFORE_TO = frozenset(
    """expected scheduled set due going plans plan planned intends intend intended hopes hope hoped aims aim aimed
    wants want wanted is are agreed promised vowed pledged threatened decided prepared preparing prepares slated
    poised likely ready about seeks seeking trying tries try needs need""".split()
)
# Verbs whose object clause is about the future ("expects growth to slow in the third quarter").
_EXPECTING = frozenset("expects expect expected predicts predict anticipates plans scheduled".split())
# Reporting verbs at the end of a sentence ("..., the ministry said") do not date what is reported.
_REPORTING = frozenset("said says told added stated noted reported explained announced wrote according".split())
# Right before the expression, these point forward whatever the clause's tense ("ahead of Monday's vote").
# So do the words of schedules and payments ("payable Dec. 7 to stock of record Nov. 22", "effective Feb. 1",
# "scheduled for March 12"), which a past verb earlier in the sentence ("directors declared a dividend") does not date.
_FORWARD = re.compile(
    r"\b(?:ahead\s+of|as\s+early\s+as|as\s+soon\s+as|no\s+later\s+than|in\s+time\s+for|in\s+the\s+run-up\s+to"
    r"|payable|effective|of\s+record|(?:scheduled|slated|set|planned|due)\s+(?:for|on|in))"
    r"(?:\s+(?:the|this|next|on|in))?\s*$",
    re.IGNORECASE,
)
# After a past verb, "extended to", "until", "by" aim at a date that may lie either side of the dateline.
_TARGET = re.compile(r"\b(?:to|until|till|by)\s+$", re.IGNORECASE)
# So does an infinitive that plans ("guidelines to be published in early November were delayed",
# ("the program, to run through June"): a plan's span, not a past act.
_TARGET_INFINITIVE = re.compile(
    r"\bto\s+(?:be\s+[a-z]+(?:ed|en)\s+(?:in|on|by|around|at)?|(?:run|last|continue|remain)\s+(?:through|until))\s*$",
    re.IGNORECASE,
)
# ... and a date that names a deadline ("gave no reason for the Jan. 14 deadline").
_TARGET_AFTER = re.compile(r"^\s+(?:deadline|due\s+date|return\s+date|target\s+date)\b", re.IGNORECASE)
_CLAUSE_END = re.compile(
    r"[,;:()\[\]“”\"]|\s[-–—]+\s|\b(?:after|before|when|while|because|although|though|that|which|who|where|if|unless"
    r"|whether|and|but)\b",
    re.IGNORECASE,
)
_SUBORDINATE = re.compile(
    r"[;:()]|\b(?:after|before|when|while|because|although|though|that|which|who|where|if|unless|whether)\b",
    re.IGNORECASE,
)
# Case-sensitive copies for text already in lower case: on ASCII they find the same, faster.
_CLAUSE_END_LOWER = re.compile(lower_case_rule(_CLAUSE_END.pattern))
_SUBORDINATE_LOWER = re.compile(lower_case_rule(_SUBORDINATE.pattern))
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
_DETERMINERS = frozenset("a an the this that these those its their his her our".split())


def clause_tense(text: str, sentence: tuple[int, int], start: int, end: int) -> str | None:
    """The tense governing the expression at ``start:end`` in the sentence span, or None when no verb says."""
    # A clause is rarely longer than this; the bound keeps a text without full stops from taking quadratic time.
    s_start, s_end = max(sentence[0], start - _REACH), min(sentence[1], end + _REACH)
    left = text[s_start:start]
    if _FORWARD.search(left[-40:]):
        return FUTURE
    # Read the expression's own clause first ("where the Aug. 7 blasts killed"), then what follows it up to the
    # next clause ("Speaking on Thursday, the president stressed"), and only then the rest of the sentence.
    lowered = left.lower().replace("’", "'")
    words = _WORD.findall(lowered)
    clause_words = _WORD.findall((_CLAUSE_END_LOWER if lowered.isascii() else _CLAUSE_END).split(lowered)[-1])
    right = text[end:s_end].lower().replace("’", "'")
    subordinate = (_SUBORDINATE_LOWER if right.isascii() else _SUBORDINATE).search(right)
    if subordinate:
        right = right[: subordinate.start()]  # up to the next clause
    # An expression that opens the sentence ("On Sunday, police said ...") is dated by the main verb, even "said".
    opens_sentence = not any(_verb_kind(w) for w in words)
    tense = _tense_leftwards(clause_words) or _tense_rightwards(right, opens_sentence) or _tense_leftwards(words)
    if tense == PAST and (
        _TARGET.search(left[-12:])
        or _TARGET_INFINITIVE.search(left[-40:])
        or _TARGET_AFTER.match(text[end : end + 20])
    ):
        return None  # "the deadline was extended to April 30": a past act aimed at a date either side
    return tense


def _tense_leftwards(words: list[str]) -> str | None:
    """The tense of the nearest verb group before the expression, read through its auxiliaries."""
    for i in range(len(words) - 1, -1, -1):
        word = words[i]
        passive = i > 0 and words[i - 1] in ("was", "were", "been", "being")
        if word in _MODALS or (word in _EXPECTING and not passive):
            return _modal_tense(word, words[i + 1 : i + 3])
        if word == "to" and i > 0 and words[i - 1] in _INTENT_BEFORE_TO:
            return FUTURE
        if word in _SCHEDULE_PLAIN and words[i + 1 :] in ([], ["on"], ["in"]) and i > 0:
            before = words[i - 1]  # "would meet on Friday" and "to open in May" are read through their verb group
            if before not in _DETERMINERS and before not in _MODALS and before != "to" and not _aux_kind(before):
                return FUTURE
        kind = _verb_kind(word)
        if kind is None or _is_adjective(words, i):
            continue
        following = words[i + 1] if i + 1 < len(words) else ""
        # Walk back through the verb group: "will be held", "has been", "had already left".
        for k in range(i - 1, max(-1, i - 4), -1):
            if words[k] == "to" and k > 0 and words[k - 1] in _INTENT_BEFORE_TO:
                return FUTURE  # "is due to be published in May"
            if words[k] in _MODALS:
                return _modal_tense(words[k], words[k + 1 : k + 3])
            aux = _aux_kind(words[k])
            if aux:
                return _with_perfect(words[k], aux, words[k + 1])
            if words[k] not in _SEMI_AUX and _verb_kind(words[k]) is None:
                break
        return _with_perfect(word, kind, following)
    return None


def _modal_tense(word: str, after: list[str]) -> str:
    """Modals point forward, except "would have left" and "could not be reached", which report the past."""
    if word in _MODALS and (after[:1] == ["have"] or after == ["not", "be"] or after[:2] == ["not", "have"]):
        return PAST
    return PROSPECTIVE if word in ("would", "'d") else FUTURE


def _tense_rightwards(right: str, opens_sentence: bool = False) -> str | None:
    """The tense of the first verb in ``right``, lower-cased ("Speaking on Thursday, the president stressed")."""
    words = [(m.group(), m.start()) for m in _WORD.finditer(right)]
    plain = [w for w, _ in words]
    for i, (word, at) in enumerate(words):
        if word in _MODALS or word in _EXPECTING:
            return _modal_tense(word, plain[i + 1 : i + 3])
        if word in _REPORTING and "," in right[:at] and not opens_sentence:
            return None  # "..., the ministry said" reports the whole sentence, not this date
        kind = _verb_kind(word)
        if kind is None or _is_adjective(plain, i):
            continue
        return _with_perfect(word, kind, plain[i + 1] if i + 1 < len(plain) else "")
    return None


def _is_adjective(words: list[str], i: int) -> bool:
    """A participle after a determiner or an -ly adverb is an adjective: "a tightly contested race"."""
    before = words[i - 1] if i > 0 else ""
    two_before = words[i - 2] if i > 1 else ""
    adverb = before.endswith("ly") and before != "only" and two_before in _DETERMINERS
    return words[i].endswith("ed") and (before in _DETERMINERS or adverb)


def _with_perfect(word: str, kind: str, following: str) -> str:
    """Present perfect ("has said", "have been") reports the past."""
    if word in _PERFECT and (following in ("been", "not", "already", "just") or _verb_kind(following) == PAST):
        return PAST
    return kind


@lru_cache(maxsize=8192)  # called for every word near every expression; a word's kind never changes
def _aux_kind(word: str) -> str | None:
    if word in _FUTURE_WORDS:
        return FUTURE
    if word in _PAST_AUX:
        return PAST
    if word in _PRESENT_AUX:
        return PRESENT
    return None


@lru_cache(maxsize=8192)
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
    if word in _SCHEDULE_VERBS:
        return FUTURE
    if word in _PRESENT_VERBS:
        return PRESENT
    return None

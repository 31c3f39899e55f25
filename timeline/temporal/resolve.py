"""Turn a recognised expression into a TIMEX3 type, value, mod and reading, by the dateline and the tense."""

from __future__ import annotations

from .days import HANDLERS as DAY_HANDLERS
from .periods import HANDLERS as PERIOD_HANDLERS
from .reading import Context, Resolved
from .recognise import Candidate
from .tense import FUTURE, PROSPECTIVE

_HANDLERS = {**DAY_HANDLERS, **PERIOD_HANDLERS}


def resolve(cand: Candidate, ctx: Context) -> list[Resolved]:
    """The TIMEX3 readings of one candidate (two for a range such as "March-April 2021", none if it is not a date)."""
    handler = _HANDLERS[cand.kind]
    if ctx.tense == PROSPECTIVE and cand.kind != "weekday":
        ctx = Context(ctx.dct, FUTURE, ctx.anchor)  # only a weekday tells "would ... on Friday" from "will"
    result = handler(cand, ctx)
    if result is None:
        return []
    if isinstance(result, list):
        return result
    type_, value, mod, reading = result
    return [Resolved(cand.start, cand.end, type_, value, mod, reading)]

from __future__ import annotations

import pytest

from timeline.dateparse import timex_from_words


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("12 March 2025", "2025-03-12"),
        ("March 12, 2025", "2025-03-12"),
        ("March 2025", "2025-03"),
        ("Aug 2024", "2024-08"),
        ("2025", "2025"),
        ("2025-03-12", "2025-03-12"),
        ("2025-03-12TEV", "2025-03-12TEV"),
        ("2024-Q3", "2024-Q3"),
        ("12 March 2025 at 2:30 pm", "2025-03-12T14:30"),
        ("12 March", None),  # no year written: never guess one
        ("yesterday", None),  # relative: there is no dateline to resolve it against
        ("31 February 2025", None),
        ("soon", None),
    ],
)
def test_dates_in_words(words: str, value: str | None) -> None:
    assert timex_from_words(words) == value

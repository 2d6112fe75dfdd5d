"""A lesson's errors by ERRANT type, for the report a teacher reads: the sentence, the correction, the rule.

ERRANT (the ``tutor`` extra) types each edit from what the learner said to the sentence put right;
the rule is the tutor's own explanation of the mistake whose words the edit touches. ERRANT's
parser is loaded once, the first time a report is asked for (about 0.3 s and 60 MB), never on the
show's path. Without the extra or its model the report has no types, and says so.
"""

from __future__ import annotations

import csv
import functools
import io
import logging
import threading
from typing import Any

from talkshow.core.errors import TalkshowError
from talkshow.tutor.errant_score import named_edits

__all__ = ["CSV_COLUMNS", "errors_by_type", "report_csv"]

logger = logging.getLogger(__name__)
CSV_COLUMNS = ("turn", "said", "put right", "error type", "wrong", "right", "rule")
_LOCK = threading.Lock()  # one parse at a time: spaCy's pipeline is not documented thread-safe


@functools.lru_cache(maxsize=1)
def _annotator() -> Any:
    from talkshow.tutor.grammar_model import load_annotator

    return load_annotator()


def _rule(mistakes: list[dict[str, str]], wrong: str, right: str) -> str:
    """The explanation of the mistake whose words this edit touches ("" when none does)."""
    for mistake in mistakes:
        said, fixed = mistake["wrong"].lower(), mistake["right"].lower()
        if (wrong and wrong.lower() in said) or (right and right.lower() in fixed) or (said and said in wrong.lower()):
            return mistake["why"]
    return ""


def errors_by_type(report: dict[str, Any]) -> dict[str, Any]:
    """``report``'s turns as ERRANT-typed errors: {"errors": [...], "by_type": {type: n}} (or a "note" if ERRANT
    is not installed)."""
    try:
        annotator = _annotator()
    except TalkshowError as missing:
        logger.info("lesson report without ERRANT types: %s", missing)
        return {"errors": [], "by_type": {}, "note": str(missing)}
    errors: list[dict[str, Any]] = []
    with _LOCK:
        for number, turn in enumerate(report["turns"], 1):
            if turn["heard"] == turn["corrected"]:
                continue
            for edit in named_edits(annotator, turn["heard"], turn["corrected"]):
                errors.append({
                    "turn": number, "said": turn["heard"], "put_right": turn["corrected"], "type": edit.type,
                    "wrong": edit.wrong, "right": edit.right, "rule": _rule(turn["mistakes"], edit.wrong, edit.right),
                })  # fmt: skip
    by_type: dict[str, int] = {}
    for typed in errors:
        by_type[typed["type"]] = by_type.get(typed["type"], 0) + 1
    return {"errors": errors, "by_type": dict(sorted(by_type.items(), key=lambda kv: (-kv[1], kv[0])))}


def report_csv(report: dict[str, Any]) -> str:
    """The lesson's errors as CSV a teacher opens in a spreadsheet: one row per error (a turn with none: one row)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    typed = report.get("errors") or []
    for number, turn in enumerate(report["turns"], 1):
        rows = [e for e in typed if e["turn"] == number]
        if not rows:
            writer.writerow([number, _cell(turn["heard"]), _cell(turn["corrected"]), "", "", "", ""])
        for e in rows:
            cells = (e["said"], e["put_right"], e["type"], e["wrong"], e["right"], e["rule"])
            writer.writerow([number, *map(_cell, cells)])
    return out.getvalue()


def _cell(text: str) -> str:
    """A learner's words as a cell no spreadsheet runs as a formula ("=1+1" is kept as text)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text

"""Reports from traces: terminal tables and a self-contained HTML page with plots."""

from talkshow.report.analysis import Distribution, TraceSummary, TurnRow, load_trace, summarize
from talkshow.report.html import write_html
from talkshow.report.text import print_report

__all__ = ["Distribution", "TraceSummary", "TurnRow", "load_trace", "print_report", "summarize", "write_html"]

"""Running a show: turn preparation, the director on the show clock, and rendering."""

from talkshow.show.director import Director
from talkshow.show.prepare import PreparedTurn, TurnPreparer
from talkshow.show.render import RenderResult, render_show

__all__ = ["Director", "PreparedTurn", "RenderResult", "TurnPreparer", "render_show"]

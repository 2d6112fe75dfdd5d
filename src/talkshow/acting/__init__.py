"""Acting stage: a line plus its speech become a performance (poses per frame)."""

from talkshow.acting.actor import Actor, TurnContext
from talkshow.acting.performance import EMOTIONS, ExpressionSpan, TurnPlan, expression_for, plan_turn
from talkshow.acting.types import NEUTRAL_POSE, Pose

__all__ = [
    "EMOTIONS",
    "NEUTRAL_POSE",
    "Actor",
    "ExpressionSpan",
    "Pose",
    "TurnContext",
    "TurnPlan",
    "expression_for",
    "plan_turn",
]

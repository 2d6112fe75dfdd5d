"""The English tutor: a learner talks, the tutor answers warmly and corrects one thing a turn.

``checker`` finds the learner's grammar and word errors (Harper, plus rules for the errors learners
make that Harper does not look for); ``reply`` turns them into typed chunks (say, correction,
follow-up) and voices them; ``settings`` is the show file's ``[tutor]`` table.
"""

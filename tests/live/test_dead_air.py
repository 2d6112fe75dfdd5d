"""Dead air is counted in gaps, and every gap counted is reported, even one the show stops in."""

from talkshow.live.dead_air import DeadAir
from talkshow.telemetry.events import MemorySink, Telemetry


def test_every_gap_counted_is_reported_even_one_still_open_when_the_programme_stops() -> None:
    sink = MemorySink()
    dead_air = DeadAir(Telemetry([sink]), fps=30)
    for frame in range(0, 90):
        dead_air.observe(frame, show_id=1, silent=30 <= frame < 60 or frame >= 75)
    dead_air.finish()
    gaps = sink.of_kind("dead_air")
    assert dead_air.gaps == len(gaps) == 2
    assert [(g.fields["first_frame"], g.fields["frames"]) for g in gaps] == [(30, 30), (75, 15)]
    assert dead_air.frames == 45 and dead_air.seconds == 1.5
    dead_air.finish()  # stopping twice reports nothing more
    assert len(sink.of_kind("dead_air")) == 2

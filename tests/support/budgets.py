"""The one budget for late frames in tests, and why it is what it is.

A frame is late when the pacer sends it more than one frame time (33 ms) after its due time.
On a quiet machine talkshow sends none: the benchmarks measure 0 late frames at 1080p
(docs/performance.md). The tests run on two shared cores beside their own helpers (a second
server, a browser, an RTP bridge, the test runner itself); those can hold the CPU past a
frame time now and then without talkshow being at fault. Seen in CI: up to 2 in a 10 s
window of the busiest test. So every test that counts late frames allows this many, whatever
it does, and a real regression (a GIL holder on the clock costs 2-5 per event, see the
aligner note in docs/architecture.md) still fails it.
"""

LATE_FRAMES_ALLOWED = 3

# Low-Latency HLS on screen in hls.js (the frame shown vs its EXT-X-PROGRAM-DATE-TIME). The
# target, measured by benchmarks/browser_latency.py, is 1.5 s median; a test run shares the
# two cores with the server it starts and a browser, so it allows 1 s more than the target.
LL_HLS_SCREEN_LATENCY_S = 1.5 + 1.0

# A live channel whose Ray node was killed, back on air from another node. The target, measured by
# benchmarks/channel_move.py from a cold start, is 15 s (7.0-9.4 s measured). The test runs it in the solo tier with
# the cluster pinned to one core beside the other timed worker; on CI's slowest machines that took 15.1-17.6 s, every
# part of the move (Ray's node-death check, the actor's new worker, the studio's start) slower alike. So the test
# allows 5 s more; Ray's default health checks (18.5 s alone, more loaded) still fail it.
CHANNEL_BACK_ON_AIR_S = 15.0 + 5.0

# A caller on AudioSocket hears what was sent: at a barge-in the show is ahead of them only by the sender's buffer
# (40 ms, growing to 100 ms if the encoder tap's jitter empties it: phone/outbound.py) and the stream frames still in
# the encoder before its PCM tap (one or two: 33-67 ms), 170 ms at most by design. On two loaded cores CI's solo tier
# saw 220 and 253 ms (the encoder's thread behind), so the test allows 130 ms more: 300 ms, which is still under what a
# Media Streams platform's own buffer adds (300-800 ms, tests/phone/test_phone.py), so it still tells the two apart.
AUDIOSOCKET_CALLER_BEHIND_MS = 170 + 130

# The moderation gate's wait for its check by meaning, in tests that judge *what* is held, not how fast: the default
# 2 s holds a line whose check did not answer in time (fail closed), and in the idle scheduling class beside the solo
# tier (make test) the check's thread was starved past it: two benign writer lines held on seed 364076712. The
# timeout itself is tested with a server that answers too late (tests/moderation/test_moderation.py).
CONTENT_CHECK_TIMEOUT_S = 30.0

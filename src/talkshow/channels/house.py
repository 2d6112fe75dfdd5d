"""The house: starts each channel if admission lets it in, watches it, and restarts it with backoff.

Channels are let in one at a time, in the file's order; each waits until those before it are
on air and settled, so the measurements it is judged on are real. A channel that exits 0
has ended its shows; one that exits 2 was given bad input and is not restarted; any other
exit (a crash, a kill, a stream that could not go on) is restarted after 1 s, doubling to
30 s, and a channel that then stays up a minute starts its count again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

import httpx

from talkshow.channels.admission import Verdict, decide, idle_cores
from talkshow.channels.channel import Channel, ChannelState
from talkshow.channels.spec import HouseSpec
from talkshow.supervisor import Backoff

logger = logging.getLogger(__name__)

__all__ = ["ChannelHouse"]

SETTLE_S = 8.0  # after a channel is on air, before the next is measured against it (its start-up work is done)
START_TIMEOUT_S = 120.0  # a child loading its models on two busy cores
STABLE_S = 60.0  # up this long, a restarted channel's backoff starts again at the first step
RESTART = Backoff(1.0, 30.0)
BAD_INPUT = 2  # serve's exit code for an input error
DONE = (ChannelState.REFUSED, ChannelState.ENDED, ChannelState.FAILED, ChannelState.STOPPED)


class ChannelHouse:
    """Every channel of a channels file, supervised; ``run`` until stopped, then ``stop``."""

    def __init__(self, house: HouseSpec, host: str, backoff: Backoff = RESTART) -> None:
        self.house = house
        self.backoff = backoff
        self.channels = [Channel(spec, house.data, host) for spec in house.channels]
        self._failures = {c.spec.name: 0 for c in self.channels}
        self._restart_at: dict[str, float] = {}
        self.exit_code = 0  # set by ``run``: the first failed channel's exit code, else 0

    async def run(self) -> int:
        """Admit and start the channels, then supervise them until all have ended (or the task is cancelled).

        Returns 0 if every channel ended cleanly (or was refused), else the first failing exit code.
        """
        async with httpx.AsyncClient(timeout=2.0) as http:
            for channel in self.channels:
                await self._admit(channel, http)
            while any(c.state not in DONE for c in self.channels):
                await self._watch(http)
                await asyncio.sleep(1.0)
        failed = [c.exit_code for c in self.channels if c.state == ChannelState.FAILED and c.exit_code]
        self.exit_code = failed[0] if failed else 0
        return self.exit_code

    async def _admit(self, channel: Channel, http: httpx.AsyncClient) -> None:
        running = [c for c in self.channels if c.state in (ChannelState.STARTING, ChannelState.RUNNING)]
        deadline = time.monotonic() + START_TIMEOUT_S
        while any(c.state == ChannelState.STARTING or time.monotonic() - c.started_at < SETTLE_S for c in running):
            if time.monotonic() > deadline:
                break
            await self._watch(http)
            await asyncio.sleep(1.0)
        verdict = await asyncio.to_thread(self.judge, channel)
        if not verdict.admitted:
            channel.state, channel.reason = ChannelState.REFUSED, verdict.reason
            logger.warning("channel %s not started: %s", channel.spec.name, verdict.reason)
            return
        channel.start()
        channel.reason = channel.reason or f"let in: {verdict.reason}"
        logger.info("channel %s started on %s: %s", channel.spec.name, channel.base, verdict.reason)

    def judge(self, channel: Channel) -> Verdict:
        """Admission for ``channel`` now, from the running channels and its cores' idle time."""
        running = [c for c in self.channels if c.state == ChannelState.RUNNING and c.cores > 0]
        need = None
        if running:  # what a pixel costs on air now, times the newcomer's pixels
            per_pixel = sum(c.cores for c in running) / sum(c.spec.pixels for c in running)
            need = per_pixel * channel.spec.pixels
        idle = idle_cores(channel.spec.cpus)
        late = {c.spec.name: c.late_rate for c in running}
        return decide(need, idle, late, self.house.late_rate_limit, self.house.cpu_reserve)

    async def _watch(self, http: httpx.AsyncClient) -> None:
        """One look at every started channel: sample the running, restart the fallen."""
        now = time.monotonic()
        for channel in self.channels:
            if channel.process is None or channel.state in DONE:
                continue
            name = channel.spec.name
            if channel.state == ChannelState.RESTARTING:
                if now >= self._restart_at.get(name, 0.0):
                    channel.start()
                continue
            code = channel.exited()
            if code is None:
                await self._sample(channel, http)
                continue
            self._ended(channel, code, now)

    async def _sample(self, channel: Channel, http: httpx.AsyncClient) -> None:
        try:
            reply = await http.get(channel.base + "/api/status")
        except httpx.HTTPError:
            return  # still starting, or busy: the next look will tell
        if reply.status_code == 200:
            channel.record(reply.json())

    def _ended(self, channel: Channel, code: int, now: float) -> None:
        name = channel.spec.name
        channel.exit_code = code
        if code == 0:
            channel.state, channel.reason = ChannelState.ENDED, "its shows ended"
        elif code == BAD_INPUT:
            channel.state = ChannelState.FAILED
            channel.reason = f"exited {code} (bad input; not restarted): {channel.log_tail()}"
            logger.error("channel %s failed: %s", name, channel.reason)
        else:
            stable = now - channel.started_at > STABLE_S
            self._failures[name] = 1 if stable else self._failures[name] + 1
            wait = self.backoff.delay(self._failures[name])
            channel.state = ChannelState.RESTARTING
            channel.reason = f"exited {code}; starting again in {wait:g} s"
            channel.restarts += 1
            self._restart_at[name] = now + wait
            logger.warning("channel %s %s", name, channel.reason)

    def stop(self) -> None:
        """Stop every child."""
        for channel in self.channels:
            channel.stop()

    def status(self) -> list[dict[str, Any]]:
        """Every channel's state, for ``/api/channels``."""
        return [channel.as_dict() for channel in self.channels]

    def studio(self, name: str) -> str | None:
        """Where a channel's studio answers, while it is on air."""
        running = [c for c in self.channels if c.spec.name == name and c.state == ChannelState.RUNNING]
        return running[0].base if running else None

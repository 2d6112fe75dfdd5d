"""Batch episodes on this machine's processes and on a local Ray cluster of 1, 2 and 3 nodes: episodes an hour,
CPU-seconds an episode, and what Ray adds to the same work.

Every run renders the same episodes (the default show and cast at 1920x1080, one topic, a
seed each) from an empty speech cache, so every line is voiced during the run. Each Ray node
offers 1 CPU and each episode asks for 1. CPU is the whole machine's busy time from
/proc/stat over the run (Ray's own daemons included), per episode; an episode's own CPU and
wall time are measured inside it. Episodes an hour are episodes over the batch's wall time,
from the first job handed out to the last file published (a cluster's start is not counted).

    .venv/bin/python benchmarks/cluster.py --episodes 6 --turns 6 --json cluster.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from support.ray_cluster import local_cluster
from talkshow.batch import EpisodePool, EpisodeStore, LocalPool, load_episodes, run_batch
from talkshow.bench.serving import stats


def machine_busy_seconds() -> float:
    """Busy CPU seconds of all cores since boot (user, nice, system, irq, softirq, steal)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(v) for v in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def one_run(label: str, episodes_file: Path, work: Path, make_pool: Any) -> dict[str, Any]:
    """Render every episode into a fresh folder from a fresh speech cache; the run's figures."""
    out = work / f"out-{label}"
    os.environ["TALKSHOW_CACHE_DIR"] = str(work / f"cache-{label}")  # workers and Ray nodes inherit it
    episodes = load_episodes(episodes_file)
    pool: EpisodePool = make_pool()
    busy0, wall0 = machine_busy_seconds(), time.monotonic()
    board = run_batch(episodes, EpisodeStore(str(out)), pool)
    wall, busy = time.monotonic() - wall0, machine_busy_seconds() - busy0
    assert not board.failed, board.failed
    done = list(board.done.values())
    row = {
        "run": label,
        "episodes": len(done),
        "wall_s": round(wall, 1),
        "episodes_an_hour": round(len(done) * 3600 / wall),
        "machine_cpu_s_an_episode": round(busy / len(done), 2),
        "episode_cpu_s": stats([d.cpu_s for d in done]),
        "episode_wall_s": stats([d.wall_s for d in done]),
        "video_s": round(sum(d.duration_s for d in done), 1),
        "nodes_used": len({d.node for d in done}),
    }
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--episodes", type=int, default=6)
    parser.add_argument("--turns", type=int, default=6)
    parser.add_argument("--nodes", default="1,2,3", help="Ray cluster sizes to run, comma-separated")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        tables = [
            f'[[episode]]\nname = "ep{i}"\ntopic = "is cereal a soup"\nturns = {args.turns}\nseed = {i + 1}\n'
            for i in range(args.episodes)
        ]
        episodes_file = work / "episodes.toml"
        episodes_file.write_text("\n".join(tables))
        rows.append(one_run("local-1", episodes_file, work, lambda: LocalPool(1)))
        rows.append(one_run("local-2", episodes_file, work, lambda: LocalPool(2)))
        for count in (int(n) for n in args.nodes.split(",")):
            from talkshow.batch.ray_pool import RayPool

            with local_cluster(workers=count) as cluster:
                rows.append(one_run(f"ray-{count}", episodes_file, work, lambda: RayPool(cluster.address, 1.0)))
    base = rows[0]
    for row in rows:
        row["speed_vs_local_1"] = round(row["episodes_an_hour"] / base["episodes_an_hour"], 2)
        row["cpu_vs_local_1"] = round(row["machine_cpu_s_an_episode"] / base["machine_cpu_s_an_episode"], 3)
    print("| run | episodes an hour | x local-1 | machine CPU-s an ep. | x local-1 | episode CPU-s | episode wall s |")
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        cpu, wall = r["episode_cpu_s"], r["episode_wall_s"]
        speed, machine = f"{r['episodes_an_hour']} | {r['speed_vs_local_1']}", r["machine_cpu_s_an_episode"]
        print(f"| {r['run']} | {speed} | {machine} | {r['cpu_vs_local_1']} | {cpu['median']} / {cpu['p90']} "
              f"| {wall['median']} / {wall['p90']} |")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()

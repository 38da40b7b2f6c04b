"""What the fleet proof measures: the time until the last worker refuses a
revoked origin, and a flood of random origins with tenants asking through it."""

from __future__ import annotations

import random
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from tests.proofs.fleet.harness import HOST, HOST_PORTS, Answer, ask

PROBES = 8


def sweep(
    origin: str, seconds: float, stop_when: Callable[[list[Answer]], bool], ports: tuple[int, ...] = HOST_PORTS
) -> list[Answer]:
    """Concurrent probes of every host for ``origin`` until ``stop_when`` or ``seconds``."""
    answers: list[Answer] = []
    end = time.monotonic() + seconds
    done = threading.Event()

    def probe(index: int) -> None:
        port = ports[index % len(ports)]
        while not done.is_set() and time.monotonic() < end:
            answers.append(ask(port, origin))

    with ThreadPoolExecutor(PROBES) as pool:
        futures = [pool.submit(probe, index) for index in range(PROBES)]
        while time.monotonic() < end and not stop_when(answers):
            time.sleep(0.01)
        done.set()
        for future in futures:
            future.result()
    return answers


def workers(count: int, ports: tuple[int, ...] = HOST_PORTS) -> set[int]:
    """The pids of the fleet's workers, found by asking until ``count`` answer."""
    answers = sweep("https://app.example.com", 20, lambda got: len({answer.pid for answer in got}) >= count, ports)
    return {answer.pid for answer in answers}


def everywhere(
    origin: str, allowed: bool, pids: set[int], seconds: float = 10, ports: tuple[int, ...] = HOST_PORTS
) -> dict[int, float]:
    """The time each worker first answered ``allowed`` for ``origin``; a worker
    that answers otherwise after that is a failure (no flapping)."""

    def settled(got: list[Answer]) -> bool:
        firsts = _firsts(got, allowed)
        return set(firsts) >= pids and min(firsts.values()) + 0.0 < time.time() - 0.3

    answers = sweep(origin, seconds, settled, ports)
    assert all(answer.status == 200 for answer in answers), {answer.status for answer in answers}
    firsts = _firsts(answers, allowed)
    missing = pids - set(firsts)
    assert not missing, f"workers {sorted(missing)} never answered allowed={allowed} for {origin} in {seconds} s"
    # Sent after this worker's first such answer came back, yet answered otherwise.
    flapped = [a for a in answers if a.pid in firsts and a.sent > firsts[a.pid] and a.allowed is not allowed]
    assert not flapped, f"{len(flapped)} answers went back after the change, e.g. {flapped[0]}, first {firsts}"
    return firsts


def _firsts(answers: list[Answer], allowed: bool) -> dict[int, float]:
    firsts: dict[int, float] = {}
    for answer in answers:
        if answer.allowed is allowed and answer.pid not in firsts:
            firsts[answer.pid] = answer.at
    return firsts


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


WRK_SCRIPT = """
math.randomseed(os.time() + %(seed)d)
request = function()
  local origin = "https://r" .. math.random(1, 1000000000) .. "-" .. math.random(1, 1000000000) .. ".flood.example"
  return wrk.format("GET", "/", {["Origin"] = origin})
end
"""


@dataclass
class Flood:
    requests: int = 0
    seconds: float = 0.0
    non_2xx: int = 0
    socket_errors: str = ""
    outputs: list[str] = field(default_factory=list)

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def wrk_binary() -> str | None:
    return shutil.which("wrk")


def flood(seconds: int, workdir: Path, connections: int = 12) -> list[subprocess.Popen[str]]:
    """One wrk per host, random well-formed origins on every request."""
    binary = wrk_binary()
    assert binary is not None
    started = []
    for index, port in enumerate(HOST_PORTS):
        script = workdir / f"flood-{port}.lua"
        script.write_text(WRK_SCRIPT % {"seed": index * 7919 + random.randrange(1000)})
        command = [binary, "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s", "-s", str(script)]
        command.append(f"http://{HOST}:{port}/")
        started.append(subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    return started


def collect(processes: list[subprocess.Popen[str]], seconds: int) -> Flood:
    result = Flood(seconds=float(seconds))
    for process in processes:
        output, _ = process.communicate(timeout=seconds + 60)
        result.outputs.append(output)
        found = re.search(r"(\d+) requests in", output)
        result.requests += int(found[1]) if found else 0
        non = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
        result.non_2xx += int(non[1]) if non else 0
        errors = re.search(r"Socket errors: .*", output)
        result.socket_errors += errors[0] if errors else ""
    return result

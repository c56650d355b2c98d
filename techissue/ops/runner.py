"""The background machinery that `worker` and `serve` run: one supervised loop per role, and a heartbeat."""

from __future__ import annotations

import logging
import threading
import time

from django.conf import settings

from techissue.delivery import periodic as delivery
from techissue.ops.heartbeat import beat, sign_off, worker_id
from techissue.ops.loops import Episode, Loop, close_connection, describe
from techissue.ops.scheduling import Scheduler
from techissue.ops.tasks import TaskLoop

log = logging.getLogger(__name__)

# A role is a kind of work a worker takes on; each runs on its own thread with its own connection.
ROLES = ("tasks", "fetch", "curate", "deliver")
QUEUE_OF_ROLE = {"tasks": "default", "fetch": "fetch", "curate": "curate"}


def parse_roles(text: str | None) -> list[str]:
    """`deliver,fetch` → ["fetch", "deliver"]; None or "" is every role. Raises ValueError on an unknown one."""
    if not text:
        return list(ROLES)
    wanted = {part.strip() for part in text.replace("+", ",").split(",") if part.strip()}
    unknown = wanted - set(ROLES)
    if unknown:
        raise ValueError(f"unknown role(s): {', '.join(sorted(unknown))} (choose from {', '.join(ROLES)})")
    return [role for role in ROLES if role in wanted]


class Background:
    """The loops of the given roles (and the scheduler), each on its own thread, stopped together.

    `fatal` holds the reason when a loop gave up: the command then exits non-zero for its supervisor.
    """

    def __init__(self, *, roles: list[str] | None = None, scheduler: bool = True, interval: float = 1.0):
        self.roles = roles if roles is not None else list(ROLES)
        self.stop_event = threading.Event()
        self.worker_id = worker_id()
        self.fatal = ""
        self.loops: list[Loop] = []
        self.task_loops: list[TaskLoop] = []
        for role in self.roles:
            if role in QUEUE_OF_ROLE:
                task_loop = TaskLoop(self.worker_id, [QUEUE_OF_ROLE[role]])
                self.task_loops.append(task_loop)
                self._add(role, task_loop.step, interval)
        if scheduler and "tasks" in self.roles:
            self._add("scheduler", Scheduler(self.worker_id).step, 1.0)
        if "deliver" in self.roles:
            self._add("deliver", self.delivery_step, 2.0)
        self.threads = [threading.Thread(target=loop.run, name=loop.name, daemon=True) for loop in self.loops]
        self.heartbeat_episode = Episode("heartbeat")

    def delivery_step(self) -> bool:
        """One delivery batch on this process's engine; on SIGTERM it hands back what it has not started."""
        return bool(delivery.engine().tick(stop=self.stop_event))

    def _add(self, name: str, step: object, idle: float) -> None:
        self.loops.append(Loop(name, step, idle, self.stop_event, self.give_up))  # type: ignore[arg-type]

    def give_up(self, reason: str) -> None:
        log.critical("stopping the worker so that its supervisor restarts it: %s", reason)
        self.fatal = self.fatal or reason
        self.stop_event.set()

    def start(self) -> None:
        log.info("worker %s starting: %s", self.worker_id, ", ".join(loop.name for loop in self.loops))
        for thread in self.threads:
            thread.start()

    def beat(self) -> None:
        """Tell the database this worker is alive, and how each loop is doing."""
        running = next((loop.running for loop in self.task_loops if loop.running), "")
        try:
            beat(self.worker_id, self.roles, {loop.name: loop.report() for loop in self.loops}, running)
        except Exception as error:
            self.heartbeat_episode.failed(error)
            close_connection()
        else:
            self.heartbeat_episode.recovered()

    def wait(self) -> None:
        """Beat until stopped; a thread that ended on its own is fatal."""
        every = float(settings.TECHISSUE_HEARTBEAT_SECONDS)
        next_beat = 0.0
        while not self.stop_event.is_set():
            if time.monotonic() >= next_beat:
                self.beat()
                next_beat = time.monotonic() + every
            for thread in self.threads:
                if not thread.is_alive() and not self.stop_event.is_set():
                    self.give_up(f"the {thread.name} loop ended")
            self.stop_event.wait(min(1.0, every))

    def stop(self, timeout: float = 30.0) -> None:
        """Finish the current batch and task, then stop every thread."""
        self.stop_event.set()
        deadline = time.monotonic() + timeout
        for thread in self.threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        if "deliver" in self.roles:
            delivery.reset()  # close the relay connections
        try:
            sign_off(self.worker_id)
        except Exception as error:  # the database is away: the row simply ages out
            log.debug("could not sign off: %s", describe(error))

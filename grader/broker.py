"""The embedded broker: queues kept as files, for running Stride with no Redis server.

kombu's ``filesystem`` transport needs no extra package and gives real queue semantics
across processes (a web process enqueues, a worker process consumes), but two details
make it unsafe when several processes share a folder: a message file is created empty
and then written, so a consumer can pick it up half-written; and a consumed file is
moved to the system temporary folder, which is not atomic across filesystems. This
transport writes each message to a hidden temporary name and renames it into the queue
(atomic), and claims a message by renaming it into a sibling folder on the same
filesystem (atomic: exactly one consumer wins).

Messages are consumed when claimed, so ``acks_late`` and re-delivery after a lost worker
do not apply here: that is what Redis is for. Use it for one machine only.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any

from kombu.exceptions import ChannelError
from kombu.transport import filesystem, virtual
from kombu.utils.json import dumps, loads

#: Value for Celery's ``broker_transport`` setting that selects this transport.
TRANSPORT = "grader.broker:FilesystemTransport"
#: The broker URL used together with :data:`TRANSPORT`.
URL = "filesystem://localhost/"


def transport_options(folder: Path, *, polling_interval: float = 0.1) -> dict[str, Any]:
    """Celery ``broker_transport_options`` for an embedded broker kept in ``folder``."""
    queue = str(folder / "queue")
    return {
        "data_folder_in": queue,
        "data_folder_out": queue,
        "claim_folder": str(folder / "claimed"),
        "control_folder": str(folder / "control"),
        "polling_interval": polling_interval,
    }


class Channel(filesystem.Channel):
    """A filesystem channel with atomic publish and atomic claim."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for folder in (self.data_folder_in, self.data_folder_out, self.claim_folder, self.control_folder):
            os.makedirs(folder, exist_ok=True)

    @property
    def claim_folder(self) -> str:
        default = os.path.join(os.path.dirname(os.path.abspath(self.data_folder_in)), "claimed")
        return self.transport_options.get("claim_folder", default)

    def _put(self, queue: str, payload: Any, **kwargs: Any) -> None:
        # Zero-padded wall-clock nanoseconds: names sort in publishing order across processes.
        name = f"{time.time_ns():020d}_{uuid.uuid4().hex}.{queue}.msg"
        temporary = os.path.join(self.data_folder_out, f".{uuid.uuid4().hex}.tmp")
        try:
            with open(temporary, "wb") as file:
                file.write(dumps(payload).encode())
            os.replace(temporary, os.path.join(self.data_folder_out, name))
        except OSError as error:
            raise ChannelError(f"cannot add a message to {self.data_folder_out!r}: {error}") from error

    def _get(self, queue: str) -> Any:
        suffix = f".{queue}.msg"
        for name in sorted(os.listdir(self.data_folder_in)):
            if not name.endswith(suffix):
                continue
            claimed = os.path.join(self.claim_folder, name)
            try:
                os.rename(os.path.join(self.data_folder_in, name), claimed)
            except FileNotFoundError:
                continue  # another consumer claimed it first
            try:
                with open(claimed, "rb") as file:
                    payload = file.read()
                os.remove(claimed)
            except OSError as error:
                raise ChannelError(f"cannot read the claimed message {claimed!r}: {error}") from error
            return loads(payload.decode())
        raise Empty()

    def _size(self, queue: str) -> int:
        suffix = f".{queue}.msg"
        return sum(1 for name in os.listdir(self.data_folder_in) if name.endswith(suffix))

    def _purge(self, queue: str) -> int:
        suffix = f".{queue}.msg"
        count = 0
        for name in os.listdir(self.data_folder_in):
            if name.endswith(suffix):
                try:
                    os.remove(os.path.join(self.data_folder_in, name))
                except FileNotFoundError:
                    continue
                count += 1
        return count


class FilesystemTransport(filesystem.Transport):
    """The transport named by :data:`TRANSPORT`."""

    Channel = Channel
    global_state = virtual.BrokerState()

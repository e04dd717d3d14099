"""The embedded broker (grader.broker): real queue semantics across processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from kombu import Connection, Consumer, Producer, Queue

from grader import broker

CONSUMER = """
import json, sys
from pathlib import Path
from queue import Empty
from kombu import Connection
from grader import broker

options = broker.transport_options(Path(sys.argv[1]))
queue = sys.argv[2]
seen = []
with Connection(broker.URL, transport=broker.TRANSPORT, transport_options=options) as conn:
    q = conn.SimpleQueue(queue)
    while True:
        try:
            message = q.get(timeout=2)
        except Empty:
            break
        seen.append(message.payload["n"])
        message.ack()
print(json.dumps(seen))
"""


def connection(folder: Path) -> Connection:
    return Connection(broker.URL, transport=broker.TRANSPORT, transport_options=broker.transport_options(folder))


def test_it_delivers_in_order_and_leaves_nothing_behind(tmp_path: Path) -> None:
    with connection(tmp_path) as conn:
        queue = conn.SimpleQueue("orders")
        for n in range(5):
            queue.put({"n": n})
        assert queue.qsize() == 5
        received = []
        for _ in range(5):
            message = queue.get(timeout=1)
            received.append(message.payload["n"])
            message.ack()
        assert received == [0, 1, 2, 3, 4]
        assert queue.qsize() == 0
        queue.close()
    assert os.listdir(tmp_path / "queue") == []
    assert os.listdir(tmp_path / "claimed") == []


def test_it_keeps_other_queues_apart(tmp_path: Path) -> None:
    with connection(tmp_path) as conn:
        a, b = conn.SimpleQueue("a"), conn.SimpleQueue("ab")
        b.put({"n": "b"})
        a.put({"n": "a"})
        assert a.get(timeout=1).payload == {"n": "a"}
        assert b.get(timeout=1).payload == {"n": "b"}
        assert a.qsize() == b.qsize() == 0
        a.close()
        b.close()


def test_it_delivers_each_message_to_exactly_one_of_several_consumer_processes(tmp_path: Path, production_env) -> None:
    total = 300
    with connection(tmp_path) as conn, conn.channel() as channel:
        queue = Queue("work", routing_key="work")
        producer = Producer(channel, exchange=queue.exchange, routing_key="work", serializer="json")
        Consumer(channel, [queue])  # declares and binds the queue
        consumers = [
            subprocess.Popen(
                [sys.executable, "-c", CONSUMER, str(tmp_path), "work"],
                env=production_env(),
                stdout=subprocess.PIPE,
                text=True,
            )
            for _ in range(3)
        ]
        for n in range(total):
            producer.publish({"n": n}, declare=[queue])
    seen = []
    for process in consumers:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        seen.extend(json.loads(out))
    assert sorted(seen) == list(range(total))


def test_it_publishes_a_message_only_once_it_is_fully_written(tmp_path: Path, monkeypatch) -> None:
    renames = []

    def checking_replace(source: str, destination: str) -> None:
        # At the moment a message becomes visible, its content is complete.
        assert json.loads(Path(source).read_text())["body"]
        assert not [name for name in os.listdir(tmp_path / "queue") if name.endswith(".msg")]
        renames.append(destination)
        os.rename(source, destination)

    monkeypatch.setattr(broker.os, "replace", checking_replace)
    with connection(tmp_path) as conn:
        queue = conn.SimpleQueue("q")
        queue.put({"n": 1})
        assert len(renames) == 1
        assert queue.get(timeout=1).payload == {"n": 1}
        queue.close()

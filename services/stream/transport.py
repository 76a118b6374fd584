"""Faust's Kafka transport, with a consumer that asks the broker to answer promptly.

Why: aiokafka keeps at most one fetch request in flight per broker, and a request leaves out the
partitions that still have records buffered. Faust builds its consumer with
`fetch_max_wait_ms=1500` (not a setting), so when the request in flight names only partitions
with nothing new (say raw and clean, while the dedup queue was still buffered), the broker holds
it for up to 1.5 s, and the worker sits idle with records waiting on the partitions the request
left out. At a steady 100 articles/s that showed as second-long idle gaps in the worker's CPU with
a queue in front of it. With 100 ms the bench's p99 latency went from 5.6-5.8 s to 3.0-3.5 s
(`python bench/e2e/run.py --events 100 --rate 100`, README); 20 ms gained nothing more and cost
more broker CPU (one empty fetch per 20 ms per idle worker).
"""

from __future__ import annotations

from typing import Any, ClassVar

import aiokafka
import faust
from faust.transport.drivers import aiokafka as driver

#: How long the broker may hold a fetch when none of its partitions has anything new.
FETCH_MAX_WAIT_MS = 100


class PromptConsumerThread(driver.AIOKafkaConsumerThread):
    def _create_worker_consumer(self, transport: Any) -> aiokafka.AIOKafkaConsumer:
        consumer = super()._create_worker_consumer(transport)
        # Read by AIOKafkaConsumer.start() when it builds its fetcher (aiokafka is pinned; a test
        # checks the fetcher gets the value, so a rename upstream fails loudly).
        consumer._fetch_max_wait_ms = FETCH_MAX_WAIT_MS
        return consumer


class PromptConsumer(driver.Consumer):
    def _new_consumer_thread(self) -> driver.AIOKafkaConsumerThread:
        return PromptConsumerThread(self, loop=self.loop, beacon=self.beacon)


class PromptTransport(driver.Transport):
    Consumer: ClassVar[type[Any]] = PromptConsumer


class App(faust.App):
    """A Faust app whose stream consumer uses `PromptTransport`."""

    def _new_transport(self) -> PromptTransport:
        return PromptTransport(self.conf.broker_consumer, self)

"""A real Apache Kafka broker on this machine, without Docker.

The jars come from Maven Central through deploy/kafka/pom.xml and are kept in a cache that
every later run reuses; storage is formatted once with `kafka.tools.StorageTool`; the broker
runs as `kafka.Kafka` in KRaft mode (one node, broker and controller) on 127.0.0.1.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from string import Template

KAFKA_VERSION = "3.9.2"
REPO_ROOT = Path(__file__).resolve().parents[2]
DEPLOY_DIR = REPO_ROOT / "deploy" / "kafka"


class BrokerError(RuntimeError):
    """Something the user has to fix before a local broker can run; the message says what."""


def cache_dir() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache"))
    return base / "newsdesk" / f"kafka-{KAFKA_VERSION}"


@dataclass(frozen=True)
class LocalBroker:
    home: Path  # holds data/, the rendered config, the pid file and the log
    port: int = 9092
    controller_port: int = 9093
    heap: str = "768m"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "broker.pid"

    @property
    def log_file(self) -> Path:
        return self.home / "server.out"

    # -- state ------------------------------------------------------------------------

    def pid(self) -> int | None:
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        return pid

    def answers(self, timeout: float = 1.0) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=timeout):
                return True
        except OSError:
            return False

    def status(self) -> str:
        pid = self.pid()
        if pid is None:
            return "stopped"
        return f"running (pid {pid}, {self.bootstrap})" if self.answers() else f"starting (pid {pid})"

    # -- start / stop ----------------------------------------------------------------

    def start(self, wait: float = 90.0) -> None:
        if self.pid() is not None and self.answers():
            return
        if self.answers():
            raise BrokerError(
                f"port {self.port} on 127.0.0.1 is taken by another program; stop it, set "
                "NEWSDESK_BROKER_PORT to a free port, or point KAFKA_BOOTSTRAP_SERVERS at that broker"
            )
        java = require_tool("java", "Java 17 or newer (Debian: apt-get install -y openjdk-17-jre-headless)")
        classpath = f"{ensure_jars()}/*"
        self.home.mkdir(parents=True, exist_ok=True)
        config = self._render_config()
        if not (self.home / "data" / "meta.properties").exists():
            self._format(java, classpath, config)
        log4j = DEPLOY_DIR / "log4j.properties"
        command = [
            java,
            f"-Xmx{self.heap}",
            "-Xms128m",
            "-XX:+UseG1GC",
            "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.home}",
            f"-Dlog4j.configuration=file:{log4j}",
            "-cp",
            classpath,
            "kafka.Kafka",
            str(config),
        ]
        with open(self.log_file, "ab") as out:
            # A session of its own, so the broker outlives the command that started it.
            process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
        self.pid_file.write_text(str(process.pid))
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise BrokerError(f"the broker exited with code {process.returncode}; see {self.log_file}")
            if self.answers():
                return
            time.sleep(0.25)
        self.stop()
        raise BrokerError(f"the broker did not answer on {self.bootstrap} within {wait:.0f}s; see {self.log_file}")

    def stop(self, wait: float = 30.0) -> bool:
        """Stops the broker cleanly (SIGTERM, then SIGKILL after `wait`); False if none ran."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self.pid_file.unlink(missing_ok=True)
        return True

    def _render_config(self) -> Path:
        template = Template((DEPLOY_DIR / "server.properties").read_text())
        rendered = template.substitute(
            port=self.port, controller_port=self.controller_port, log_dir=self.home / "data"
        )
        path = self.home / "server.properties"
        path.write_text(rendered)
        return path

    def _format(self, java: str, classpath: str, config: Path) -> None:
        cluster_id = _kraft_cluster_id()
        result = subprocess.run(
            [java, "-cp", classpath, "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", str(config)],
            capture_output=True,
            text=True,
        )
        if result.returncode:
            raise BrokerError(f"formatting broker storage failed: {result.stderr.strip()[-500:]}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie child of ours still answers kill(0); reap it if it is one.
    try:
        done, _ = os.waitpid(pid, os.WNOHANG)
        return done == 0
    except ChildProcessError:
        return True


def _kraft_cluster_id() -> str:
    # KRaft wants 16 random bytes in URL-safe base64 without padding (22 characters). One draw in
    # 64 starts with '-', which the storage tool's argument parser takes for an option and
    # refuses; Kafka's own Uuid.randomUuid draws again in that case, and so do we.
    import base64

    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode().rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


def require_tool(name: str, hint: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BrokerError(f"`{name}` was not found on PATH: the local Kafka broker needs {hint}")
    return path


def ensure_jars() -> Path:
    """The directory holding Kafka's jars, resolving them with Maven on first use."""
    libs = cache_dir() / "libs"
    if (libs / f"kafka_2.13-{KAFKA_VERSION}.jar").exists():
        return libs
    mvn = require_tool("mvn", "Apache Maven to fetch Kafka from Maven Central (apt-get install -y maven)")
    require_tool("java", "Java 17 or newer (apt-get install -y openjdk-17-jre-headless)")
    pom = DEPLOY_DIR / "pom.xml"
    if not pom.exists():
        raise BrokerError(f"{pom} is missing: run newsdesk from a checkout of the repository")
    partial = libs.with_name("libs.partial")
    shutil.rmtree(partial, ignore_errors=True)
    result = subprocess.run(
        [mvn, "-q", "-B", "-f", str(pom), "dependency:copy-dependencies",
         f"-DoutputDirectory={partial}", "-DincludeScope=runtime"],
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BrokerError(
            "Maven could not fetch Kafka's jars from Maven Central:\n" + (result.stdout + result.stderr)[-1500:]
        )
    # Renamed into place only when complete, so an interrupted download is never reused.
    shutil.rmtree(libs, ignore_errors=True)
    partial.rename(libs)
    return libs


def default_broker(home: Path) -> LocalBroker:
    port = int(os.environ.get("NEWSDESK_BROKER_PORT", "9092"))
    return LocalBroker(home=home / "kafka", port=port, controller_port=port + 1)

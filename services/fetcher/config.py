"""The fetcher's configuration file (TOML, or YAML when PyYAML is installed), validated.

Errors name the file, the source (by index and name) and the field, so a typo is found
without reading a traceback.
"""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

SourceKind = Literal["feed", "rss", "atom", "jsonfeed", "sitemap", "urls", "directory"]


class ConfigError(ValueError):
    """A configuration file that cannot be used; the message says where and why."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class HttpSettings(Strict):
    user_agent: str = Field(
        default="newsdesk-fetcher/0.1 (+https://github.com/newsdesk/newsdesk)",
        min_length=3, description="Sent on every request; say who you are and how to reach you.")
    connect_timeout: float = Field(default=5.0, gt=0)
    read_timeout: float = Field(default=15.0, gt=0)
    total_timeout: float = Field(default=30.0, gt=0, description="Whole fetch of one URL, redirects included.")
    max_bytes: int = Field(default=5 * 1024 * 1024, gt=0, description="Body size cap, after decompression.")
    max_redirects: int = Field(default=5, ge=0, le=20)
    retries: int = Field(default=3, ge=0, le=10, description="Retries on timeouts, 5xx and 429.")
    backoff_base: float = Field(default=0.5, ge=0)
    backoff_max: float = Field(default=30.0, ge=0)
    max_retry_after: float = Field(default=120.0, ge=0, description="Longer Retry-After: give up this time.")
    per_host_concurrency: int = Field(default=2, ge=1, le=256)
    per_host_delay: float = Field(default=1.0, ge=0, description="Seconds between requests to one host.")
    respect_robots: bool = True
    robots_ttl: float = Field(default=3600.0, ge=0)
    max_crawl_delay: float = Field(default=30.0, ge=0, description="Cap on a robots.txt Crawl-delay.")
    allow_networks: list[str] = Field(
        default_factory=list, description="Private networks every source may reach, e.g. '127.0.0.1/32'.")
    max_connections: int = Field(default=100, ge=1)

    @field_validator("allow_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for net in value:
            try:
                ipaddress.ip_network(net, strict=False)
            except ValueError:
                raise ValueError(f"not an IP network: {net!r}") from None
        return value


class SourceConfig(Strict):
    name: str = Field(min_length=1, pattern=r"^[\w.@:/-]+$")
    kind: SourceKind
    url: str | None = Field(default=None, description="Feed, sitemap or URL-list address.")
    path: str | None = Field(default=None, description="Directory to watch, or a local URL list.")
    outlet: str | None = None
    language: str | None = Field(default=None, max_length=35)
    interval: float = Field(default=300.0, gt=0, description="Starting poll interval, seconds.")
    min_interval: float | None = Field(default=None, gt=0)
    max_interval: float | None = Field(default=None, gt=0)
    allowed_hosts: list[str] | None = Field(default=None, description="Article hosts to accept (and subdomains).")
    max_items: int = Field(default=100, ge=1, le=100_000, description="Articles taken per poll at most.")
    allow_private: bool = Field(default=False, description="Allow private/loopback addresses for this source.")
    enabled: bool = True

    @model_validator(mode="after")
    def _check(self) -> SourceConfig:
        if self.kind == "directory":
            if not self.path:
                raise ValueError("a directory source needs 'path'")
        elif self.kind == "urls":
            if not (self.url or self.path):
                raise ValueError("a urls source needs 'url' or 'path'")
        elif not self.url:
            raise ValueError(f"a {self.kind} source needs 'url'")
        if self.url and not self.url.lower().startswith(("http://", "https://")):
            raise ValueError(f"url must be http(s): {self.url!r}")
        if self.min_interval is None:
            self.min_interval = min(self.interval, 60.0)
        if self.max_interval is None:
            self.max_interval = max(self.interval, 3600.0)
        if not self.min_interval <= self.interval <= self.max_interval:
            raise ValueError("need min_interval <= interval <= max_interval")
        if self.allowed_hosts is not None:
            self.allowed_hosts = [h.lower().strip(".") for h in self.allowed_hosts]
        return self


class FetcherConfig(Strict):
    http: HttpSettings = Field(default_factory=HttpSettings)
    seen: Literal["kafka", "memory"] = Field(
        default="kafka", description="kafka: shared by replicas, survives restarts; memory: for tests.")
    metrics_interval: float = Field(default=60.0, gt=0, description="Seconds between metrics log lines.")
    sources: list[SourceConfig] = Field(default_factory=list)

    @model_validator(mode="after")
    def _unique(self) -> FetcherConfig:
        names = [s.name for s in self.sources]
        dupes = sorted({n for n in names if names.count(n) > 1})
        if dupes:
            raise ValueError(f"source names must be unique; repeated: {', '.join(dupes)}")
        return self


def _where(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    for i, p in enumerate(loc):
        if isinstance(p, int) and i > 0 and loc[i - 1] == "sources":
            name = None
            sources = data.get("sources")
            if isinstance(sources, list) and p < len(sources) and isinstance(sources[p], dict):
                name = sources[p].get("name")
            parts[-1] = f"sources[{p}]" + (f" ({name!r})" if name else "")
        else:
            parts.append(str(p))
    return ".".join(parts) or "(file)"


def parse_config(data: Any, origin: str = "config") -> FetcherConfig:
    if not isinstance(data, dict):
        raise ConfigError(f"{origin}: expected a table/mapping at the top level")
    try:
        return FetcherConfig.model_validate(data)
    except ValidationError as exc:
        lines = [f"{origin}: {exc.error_count()} problem(s):"]
        for err in exc.errors():
            msg = err["msg"].removeprefix("Value error, ")
            lines.append(f"  {_where(tuple(err['loc']), data)}: {msg}")
        raise ConfigError("\n".join(lines)) from None


def load_config(path: str | Path) -> FetcherConfig:
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    suffix = path.suffix.lower()
    try:
        if suffix in (".yaml", ".yml"):
            try:
                import yaml
            except ImportError:
                raise ConfigError(f"{path}: YAML needs PyYAML (pip install pyyaml); or use TOML") from None
            data = yaml.safe_load(raw.decode("utf-8"))
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except ConfigError:
        raise
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except Exception as exc:  # tomllib/yaml syntax errors carry line and column
        raise ConfigError(f"{path}: syntax error: {exc}") from None
    return parse_config(data, str(path))

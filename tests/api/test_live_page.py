"""The live page in headless Chromium: an event stored by the sink appears, then updates.

Drives Chromium through chromedriver's W3C HTTP interface (no Selenium needed). Skips when
Chromium is absent, except with CI=true, where its absence is a failure.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
IN_CI = os.environ.get("CI", "").lower() == "true"


class Browser:
    def __init__(self, driver: str, session: str) -> None:
        self.http = httpx.Client(base_url=f"{driver}/session/{session}", timeout=30)

    def go(self, url: str) -> None:
        self.http.post("/url", json={"url": url}).raise_for_status()

    def run(self, script: str) -> object:
        response = self.http.post("/execute/sync", json={"script": script, "args": []})
        response.raise_for_status()
        return response.json()["value"]

    def text(self) -> str:
        return str(self.run("return document.body.innerText"))

    def screenshot(self, path: Path) -> None:
        response = self.http.get("/screenshot")
        response.raise_for_status()
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(response.json()["value"]))


def wait_for(check: Callable[[], bool], timeout: float = 15.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture
def browser() -> Iterator[Browser]:
    binary = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (binary and driver):
        if IN_CI:
            pytest.fail("chromium and chromedriver are required when CI=true", pytrace=False)
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([driver, f"--port={port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    profile = tempfile.mkdtemp(prefix="newsdesk-chromium-")
    try:
        assert wait_for(lambda: _answers(base)), "chromedriver did not start"
        options = {"binary": binary, "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--window-size=1200,900"]}
        created = httpx.post(f"{base}/session", timeout=60, json={
            "capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": options}}})
        created.raise_for_status()
        session = created.json()["value"]["sessionId"]
        try:
            yield Browser(base, session)
        finally:
            httpx.delete(f"{base}/session/{session}", timeout=30)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        shutil.rmtree(profile, ignore_errors=True)


def _answers(base: str) -> bool:
    try:
        return httpx.get(f"{base}/status", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def test_events_appear_and_update_on_the_live_page(served, make_event, browser: Browser) -> None:
    served.store.write([make_event("before", title="Ferry timetable changes", type="business")])
    browser.go(served.base + "/")
    assert wait_for(lambda: "Ferry timetable changes" in browser.text()), browser.text()
    assert wait_for(lambda: "live" in str(browser.run("return document.getElementById('status').textContent")))

    # Stored while the page is open: it must appear without a reload, with who/where/quotes/sources.
    served.store.write([make_event("e1")])
    assert wait_for(lambda: "Port workers strike in Gdansk" in browser.text()), browser.text()
    text = browser.text()
    assert "Jola Wrona (union leader)" in text
    assert "Gdansk, Poland" in text
    assert "We will stay out until the talks resume." in text
    assert "Baltic Courier" in text

    # A newer version replaces the card in place.
    served.store.write([make_event("e1", 2, title="Port strike spreads to Gdynia")])
    assert wait_for(lambda: "Port strike spreads to Gdynia" in browser.text()), browser.text()
    assert "Port workers strike in Gdansk" not in browser.text()
    assert browser.run("return document.querySelectorAll('article.event').length") == 2
    # Text from events is never parsed as HTML.
    served.store.write([make_event("x", title="<img src=x onerror=alert(1)> odd title")])
    assert wait_for(lambda: "<img src=x onerror=alert(1)> odd title" in browser.text())
    assert browser.run("return document.querySelectorAll('article img').length") == 0
    browser.screenshot(ARTIFACTS / "live-page.png")
    assert (ARTIFACTS / "live-page.png").stat().st_size > 1000

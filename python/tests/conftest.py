"""A real Vigil server for the tests, started from the repository's build (``tsc -b``) with a
temporary data folder, as ``npm start`` would, on a free port."""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path
from typing import Dict, Iterator, Optional

import pytest

import vigil

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "packages" / "cli" / "dist" / "main.js"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


class Server:
    """A ``vigil start`` process; ``stop``/``kill`` and ``start`` again keep its data and port."""

    def __init__(self, data_dir: Path, env: Optional[Dict[str, str]] = None) -> None:
        self.data_dir = data_dir
        self.admin_key = "vk_test_" + secrets.token_hex(16)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._env = env or {}
        self._process: Optional[subprocess.Popen[bytes]] = None
        self._log = data_dir.parent / f"server-{self.port}.log"

    def start(self) -> None:
        if not MAIN.exists():
            raise RuntimeError(f"{MAIN} is missing: build the server first (npx tsc -b)")
        env = {
            **os.environ,
            "VIGIL_PORT": str(self.port),
            "VIGIL_HOST": "127.0.0.1",
            "VIGIL_DATA_DIR": str(self.data_dir),
            "VIGIL_ADMIN_KEY": self.admin_key,
            "VIGIL_LOG_LEVEL": "warn",
            **self._env,
        }
        log = open(self._log, "ab")  # noqa: SIM115 - the process writes to it until it ends
        self._process = subprocess.Popen(
            ["node", str(MAIN), "start"], cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT
        )
        log.close()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the server ended at start:\n{self._log.read_text()}")
            if re.search(rf"running on http://127\.0\.0\.1:{self.port}", self._log.read_text()):
                return
            time.sleep(0.05)
        raise RuntimeError(f"the server did not start in 60 s:\n{self._log.read_text()}")

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.send_signal(sig)
            self._process.wait(30)
        self._process = None

    def kill(self) -> None:
        """Ends the server at once (SIGKILL): only what was acknowledged is durable."""
        self.stop(signal.SIGKILL)


@pytest.fixture(scope="session")
def workdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="vigil-python-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture(scope="session")
def server(workdir: Path) -> Iterator[Server]:
    s = Server(workdir / "data")
    s.start()
    yield s
    s.stop()


@pytest.fixture
def client(server: Server) -> Iterator[vigil.Client]:
    c = vigil.Client(server.url, server.admin_key, flush_interval=0.05)
    yield c
    c.close()


@pytest.fixture
def fresh_name() -> str:
    """A model name not registered yet."""
    return "m-" + uuid.uuid4().hex[:10]


@pytest.fixture
def model_name(server: Server, fresh_name: str) -> str:
    """A registered binary classifier of its own for each test."""
    register(server, fresh_name)
    return fresh_name


def register(server: Server, name: str, task: str = "binary_classification") -> None:
    with vigil.Client(server.url, server.admin_key, flush_at_exit=False) as admin:
        admin.create_model(name, task)

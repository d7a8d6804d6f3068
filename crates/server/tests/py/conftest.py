"""Starts the real Cloud API server (the `chatframe-server` dev binary) on a loopback port with
its own data directory, for the whole session."""

import os
import socket
import subprocess
import tempfile
import time

import pytest
import requests

BIN = os.environ.get("CHATFRAME_SERVER_BIN") or os.path.expanduser(
    os.path.join(os.environ.get("CARGO_TARGET_DIR", "~/.cache/chatframe-target"), "debug", "chatframe-server")
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    def __init__(self, url: str, key: str, data_dir: str):
        self.url = url
        self.key = key
        self.data_dir = data_dir

    def headers(self, **extra):
        return {"Authorization": f"Bearer {self.key}", **extra}

    def new_key(self, credits: int) -> str:
        out = subprocess.run(
            [BIN, "create-account", "--data-dir", self.data_dir, "--credits", str(credits), "--rate-limit", "1000000"],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()


@pytest.fixture(scope="session")
def server():
    data = tempfile.mkdtemp(prefix="chatframe-py-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        # Test-only: lets deliveries reach the receiver these tests run on 127.0.0.1.
        CHATFRAME_DEV_ALLOW_PRIVATE_TARGETS="true",
        CHATFRAME_RATE_LIMIT_PER_MINUTE="1000000",
        CHATFRAME_RATE_LIMIT_BURST="1000000",
        CHATFRAME_PUBLIC_URL=url,
        RUST_LOG="warn",
    )
    key = subprocess.run(
        [BIN, "create-account", "--data-dir", data, "--credits", "100000000", "--rate-limit", "1000000"],
        check=True, capture_output=True, text=True,
    ).stdout.strip()
    proc = subprocess.Popen([BIN, "--data-dir", data, "--listen", f"127.0.0.1:{port}"], env=env)
    try:
        for _ in range(200):
            try:
                if requests.get(f"{url}/v1/health", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.05)
        else:
            raise RuntimeError("server did not start")
        yield Server(url, key, data)
    finally:
        proc.terminate()
        proc.wait(timeout=10)

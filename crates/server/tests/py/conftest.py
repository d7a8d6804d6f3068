"""Starts the real Cloud API server (the `chatframe-server` binary) on a loopback port with
its own data directory, for the whole session."""

import json
import os
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
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
            [BIN, "admin", "create-account", "--data-dir", self.data_dir, "--credits", str(credits), "--rate-limit", "1000000"],
            check=True, capture_output=True, text=True,
        )
        return out.stdout.strip()


class FakeOpenAI(BaseHTTPRequestHandler):
    """A FAKE OpenAI-compatible chat-completions endpoint on loopback: the real AI provider is a
    third party these suites cannot reach, so this test double answers in the same wire format
    with two messages from the participants named in the request."""

    def do_POST(self):
        req = json.loads(self.rfile.read(int(self.headers.get("content-length", 0))))
        system = req["messages"][0]["content"]
        names = next(json.loads(l[len("Participants: "):]) for l in system.splitlines() if l.startswith("Participants: "))
        lines = [json.dumps({"sender": names[i % len(names)], "text": f"message {i}"}) for i in range(2)]
        body = json.dumps({"choices": [{"message": {"role": "assistant", "content": "\n".join(lines)}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def server():
    ai = ThreadingHTTPServer(("127.0.0.1", 0), FakeOpenAI)
    threading.Thread(target=ai.serve_forever, daemon=True).start()
    data = tempfile.mkdtemp(prefix="chatframe-py-")
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        # Test-only: lets deliveries reach the receiver these tests run on 127.0.0.1.
        CHATFRAME_DEV_ALLOW_PRIVATE_TARGETS="true",
        # Schemathesis registers webhooks to made-up hosts; deliveries must never leave this
        # machine, so only the loopback receiver is an allowed target.
        CHATFRAME_WEBHOOK_ALLOWED_HOSTS="127.0.0.1",
        CHATFRAME_RATE_LIMIT_PER_MINUTE="1000000",
        CHATFRAME_RATE_LIMIT_BURST="1000000",
        CHATFRAME_PUBLIC_URL=url,
        CHATFRAME_AI_BASE_URL=f"http://127.0.0.1:{ai.server_address[1]}/v1",
        CHATFRAME_AI_MODEL="fake",
        RUST_LOG="warn,symphonia=off",
    )
    key = subprocess.run(
        [BIN, "admin", "create-account", "--data-dir", data, "--credits", "100000000", "--rate-limit", "1000000"],
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
        ai.shutdown()

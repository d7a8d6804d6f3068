"""Webhook deliveries verified with an independent Standard Webhooks implementation (PyPI
`standardwebhooks`): a genuine delivery verifies; a tampered body and a replay older than five
minutes are rejected."""

import json
import threading
import time
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from unittest import mock

import pytest
import requests
from standardwebhooks.webhooks import Webhook, WebhookVerificationError


class Receiver:
    def __init__(self):
        self.deliveries = []
        self.event = threading.Event()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length", 0)))
                outer.deliveries.append(({k.lower(): v for k, v in self.headers.items()}, body))
                self.send_response(204)
                self.end_headers()
                outer.event.set()

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/hook"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def wait(self, timeout=30.0):
        assert self.event.wait(timeout), "no delivery arrived"
        return self.deliveries[-1]


@pytest.fixture()
def delivery(server):
    rx = Receiver()
    r = requests.post(f"{server.url}/v1/webhooks", headers=server.headers(),
                      json={"url": rx.url, "events": ["*"]})
    assert r.status_code == 201, r.text
    endpoint = r.json()
    r = requests.post(f"{server.url}/v1/webhooks/{endpoint['id']}/test", headers=server.headers(), json={})
    assert r.status_code == 202, r.text
    headers, body = rx.wait()
    yield endpoint, headers, body
    rx.httpd.shutdown()


def test_genuine_delivery_verifies(delivery):
    endpoint, headers, body = delivery
    payload = Webhook(endpoint["secret"]).verify(body, headers)
    assert payload["type"] == "webhook.test"
    assert payload["data"]["endpoint_id"] == endpoint["id"]
    assert headers["webhook-id"].startswith("msg_")
    assert abs(int(headers["webhook-timestamp"]) - time.time()) < 60


def test_tampered_body_is_rejected(delivery):
    endpoint, headers, body = delivery
    tampered = body.replace(b"webhook.test", b"export.failed")
    assert tampered != body
    with pytest.raises(WebhookVerificationError):
        Webhook(endpoint["secret"]).verify(tampered, headers)


def test_wrong_secret_is_rejected(delivery):
    _, headers, body = delivery
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJD" * 8).verify(body, headers)


def test_replay_older_than_five_minutes_is_rejected(delivery):
    """A captured delivery replayed six minutes later: the receiver's clock moves on, the signed
    timestamp does not, so verification fails."""
    endpoint, headers, body = delivery
    later = datetime.now(tz=timezone.utc) + timedelta(minutes=6)
    with mock.patch("standardwebhooks.webhooks.datetime") as clock:
        clock.now.return_value = later
        clock.fromtimestamp = datetime.fromtimestamp
        clock.side_effect = lambda *a, **k: datetime(*a, **k)
        with pytest.raises(WebhookVerificationError, match="too old"):
            Webhook(endpoint["secret"]).verify(body, headers)
    # And the genuine one still verifies now.
    assert json.loads(body)["type"] == Webhook(endpoint["secret"]).verify(body, headers)["type"]

"""A loopback HTTP server that speaks enough of Postmark's email API for anymail's Postmark backend."""

from __future__ import annotations

import json
import threading
import uuid
from email.utils import parseaddr
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class PostmarkServer:
    """Accepts POST /email (and /email/batch), keeps every message it was given; `refuse` names rejected addresses."""

    def __init__(self, refuse: frozenset[str] = frozenset()):
        self.messages: list[dict[str, Any]] = []
        self.tokens: set[str] = set()
        self.refuse = refuse
        self.lock = threading.Lock()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with owner.lock:
                    owner.tokens.add(self.headers.get("X-Postmark-Server-Token", ""))
                batch = body if isinstance(body, list) else [body]
                answers = []
                for message in batch:
                    address = parseaddr(message["To"])[1]
                    if address in owner.refuse:  # Postmark's words, which anymail parses
                        answers.append({"ErrorCode": 406, "Message": (
                            "You tried to send to a recipient that has been marked as inactive.\n Found inactive "
                            f"addresses: {address}.\n Inactive recipients are ones that have generated a hard bounce "
                            "or a spam complaint. "
                        )})  # fmt: skip
                        continue
                    with owner.lock:
                        owner.messages.append(message)
                    answers.append(
                        {"To": message["To"], "SubmittedAt": "2026-12-01T00:00:00Z", "MessageID": str(uuid.uuid4()),
                         "ErrorCode": 0, "Message": "OK"}
                    )  # fmt: skip
                reply = json.dumps(answers if isinstance(body, list) else answers[0]).encode()
                status = 422 if not isinstance(body, list) and answers[0]["ErrorCode"] else 200
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(reply)))
                self.end_headers()
                self.wfile.write(reply)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"

    def __enter__(self) -> PostmarkServer:
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

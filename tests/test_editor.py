"""The editor a PM types in: yaml-language-server (VS Code's YAML extension) on a scaffolded file.

Driven over stdio with LSP JSON-RPC, as an editor does: it must find the
schema through the file's `# yaml-language-server: $schema=` line, flag a
misspelt key, and offer every field with its description while typing.
Needs `npm ci` in tests/browser (the CI does it).
"""

from __future__ import annotations

import json
import queue
import shutil
import subprocess
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import IO, Any

import pytest

from generator.commands.scaffold import EXAMPLE_CUSTOMER, EXAMPLE_PROJECT, init_portfolio

SERVER = Path(__file__).parent / "browser/node_modules/yaml-language-server/bin/yaml-language-server"
SETTINGS = {"yaml": {"validate": True, "completion": True, "hover": True, "schemaStore": {"enable": False}}}
WAIT = 60.0


class Client:
    """A minimal LSP client: requests by id, notifications by method, answers to the server's requests."""

    def __init__(self, process: subprocess.Popen[bytes]) -> None:
        self.process = process
        self.next_id = 0
        self.inbox: queue.Queue[dict[str, Any]] = queue.Queue()
        threading.Thread(target=self._read, args=(process.stdout,), daemon=True).start()

    def _read(self, stream: IO[bytes]) -> None:
        while True:
            headers = {}
            while line := stream.readline().strip():
                name, _, value = line.partition(b":")
                headers[name.strip().lower()] = value.strip()
            if not headers:  # the server has gone
                return
            self.inbox.put(json.loads(stream.read(int(headers[b"content-length"]))))

    def send(self, message: dict[str, Any]) -> None:
        body = json.dumps({"jsonrpc": "2.0", **message}).encode()
        assert self.process.stdin is not None
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()

    def notify(self, method: str, params: dict[str, Any]) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params: dict[str, Any]) -> Any:
        self.next_id += 1
        self.send({"id": self.next_id, "method": method, "params": params})
        reply = self.wait(lambda m: m.get("id") == self.next_id and "method" not in m)
        assert "error" not in reply, reply
        return reply["result"]

    def wait(self, wanted: Any) -> dict[str, Any]:
        """The next message `wanted` accepts; the server's own requests are answered meanwhile."""
        while True:
            message = self.inbox.get(timeout=WAIT)
            if "method" in message and "id" in message:  # workspace/configuration, registerCapability, ...
                items = message.get("params", {}).get("items", [])
                result = [SETTINGS.get(i.get("section", ""), SETTINGS) for i in items] if items else None
                self.send({"id": message["id"], "result": result})
            if wanted(message):
                return message


@pytest.fixture
def editor(tmp_path: Path) -> Iterator[Client]:
    node = shutil.which("node")
    if node is None or not SERVER.is_file():
        pytest.skip("needs node and `npm ci` in tests/browser (yaml-language-server)")
    process = subprocess.Popen([node, str(SERVER), "--stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    client = Client(process)
    client.request("initialize", {
        "processId": None, "rootUri": tmp_path.as_uri(),
        "capabilities": {"textDocument": {
            "completion": {"completionItem": {"documentationFormat": ["markdown", "plaintext"],
                                              "snippetSupport": True}},
            "hover": {"contentFormat": ["markdown", "plaintext"]},
            "publishDiagnostics": {}},
            "workspace": {"configuration": True}}})
    client.notify("initialized", {})
    client.notify("workspace/didChangeConfiguration", {"settings": SETTINGS})
    yield client
    process.kill()
    process.wait(timeout=10)


def _documentation(item: dict[str, Any]) -> str:
    doc = item.get("documentation", "")
    return doc.get("value", "") if isinstance(doc, dict) else str(doc)


def test_a_scaffolded_file_gets_diagnostics_completion_and_hover(editor: Client, tmp_path: Path) -> None:
    init_portfolio(tmp_path / "p", today=date(2026, 11, 26))
    path = tmp_path / "p" / "projects" / EXAMPLE_CUSTOMER[0] / EXAMPLE_PROJECT[0] / "project.yml"
    text = path.read_text(encoding="utf-8").replace("\ncadence_days:", "\ncadense_days:")
    text += "\n"  # an empty line at the end, where the PM starts a new key
    lines = text.split("\n")
    uri = path.as_uri()
    editor.notify("textDocument/didOpen",
                  {"textDocument": {"uri": uri, "languageId": "yaml", "version": 1, "text": text}})
    published = editor.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                            and m["params"]["uri"] == uri and m["params"]["diagnostics"])
    misspelt = next(i for i, line in enumerate(lines) if line.startswith("cadense_days:"))
    flagged = [d for d in published["params"]["diagnostics"] if d["range"]["start"]["line"] == misspelt]
    messages = [d["message"] for d in flagged]
    assert any("cadense_days" in m or "not allowed" in m for m in messages), published["params"]

    completion = editor.request("textDocument/completion", {
        "textDocument": {"uri": uri}, "position": {"line": len(lines) - 1, "character": 0}})
    items = completion["items"] if isinstance(completion, dict) else completion
    offered = {item["label"]: item for item in items}
    assert {"feedback_url", "cadence_days", "visibility"} <= set(offered), sorted(offered)
    assert "A status update is expected this often" in _documentation(offered["cadence_days"]) \
        or "A status update is expected this often" in offered["cadence_days"].get("detail", "")

    start = next(i for i, line in enumerate(lines) if line.startswith("start:"))
    hover = editor.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": {"line": start, "character": 1}})
    contents = hover["contents"]
    shown = contents.get("value", "") if isinstance(contents, dict) else json.dumps(contents)
    assert "The day work started" in shown

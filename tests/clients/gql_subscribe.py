"""docs/writing.md's Python subscription example, run as written against a live server.

    python3 tests/clients/gql_subscribe.py http://127.0.0.1:PORT EDITOR_TOKEN

Takes the ```python block of docs/writing.md, points it at the server, runs it (gql, as
pinned in .ci/py/requirements.txt), makes a write to the record it watches, and requires
the example to print that change within 20 s. Exits 1, saying why, otherwise.
"""

import json
import pathlib
import selectors
import subprocess
import sys
import tempfile
import time
import urllib.request

ROOT = pathlib.Path(__file__).resolve().parents[2]
DOCUMENTED_URL = "ws://127.0.0.1:8000/ws"


def example() -> str:
    text = (ROOT / "docs" / "writing.md").read_text(encoding="utf-8")
    start = text.index("```python\n") + len("```python\n")
    return text[start : text.index("```", start)]


def write(base: str, token: str, description: str) -> None:
    body = json.dumps(
        {
            "query": "mutation($d: String) { updatePartner(code: \"GBR\", input: { description: $d }) { code } }",
            "variables": {"d": description},
        }
    ).encode()
    request = urllib.request.Request(
        base + "/graphql",
        data=body,
        headers={"Content-Type": "application/json", "Authorization": "Bearer " + token},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        answer = json.load(response)
    if answer.get("errors"):
        sys.exit(f"FAIL: the write was refused: {answer['errors']}")


def main() -> None:
    base, token = sys.argv[1].rstrip("/"), sys.argv[2]
    code = example()
    if DOCUMENTED_URL not in code:
        sys.exit(f"FAIL: the documented example does not connect to {DOCUMENTED_URL}")
    code = code.replace(DOCUMENTED_URL, base.replace("http://", "ws://") + "/ws")
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(code)
    watcher = subprocess.Popen(
        [sys.executable, f.name], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    description = f"Written by gql_subscribe.py at {time.time():.0f}"
    try:
        # The subscription must be running before the write: give the socket a moment,
        # and write until the watcher prints (a write before it subscribed is not seen).
        deadline = time.time() + 20
        out = ""
        sel = selectors.DefaultSelector()
        sel.register(watcher.stdout, selectors.EVENT_READ)
        time.sleep(1.0)
        write(base, token, description)
        while time.time() < deadline and description not in out:
            if watcher.poll() is not None:
                break
            for _ in sel.select(timeout=1.0):
                line = watcher.stdout.readline()
                out += line
            if description not in out and "updatePartner" not in out:
                write(base, token, description)
        if description not in out:
            watcher.kill()
            err = watcher.stderr.read()
            sys.exit(f"FAIL: the example printed no change within 20 s.\nstdout:\n{out}\nstderr:\n{err}")
        print("PASS: the documented gql example (graphql-transport-ws) printed the write's change")
    finally:
        if watcher.poll() is None:
            watcher.kill()
        pathlib.Path(f.name).unlink(missing_ok=True)


if __name__ == "__main__":
    main()

"""Starting and reaching the servers that tests run as real processes."""
from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(proc: subprocess.Popen, url: str, seconds: float = 300) -> bool:
    """Wait for the server to answer HTTP (any status); False if it died or timed out."""
    deadline = time.time() + seconds
    while proc.poll() is None and time.time() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(0.5)
    return False

"""Who may reach the chat: loopback or login, and a growing delay after failed logins."""
from __future__ import annotations

import ipaddress
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from .errors import QAError

# After the n-th failed login in a row, a client must wait FIRST_DELAY * 2**(n-1) seconds
# (capped) before its next try; a success clears its count.
FIRST_DELAY = 1.0
MAX_DELAY = 300.0


def is_loopback(host: str) -> bool:
    """Only an address of this machine's loopback interface (or "localhost") is loopback;
    "" and "0.0.0.0" bind every interface."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def check_host(host: str, auth: tuple[str, str] | None, no_auth: bool) -> str | None:
    """Listening beyond this machine needs a login, or the user saying explicitly that it
    doesn't. Returns the warning to print, if any."""
    if is_loopback(host):
        return None
    shown = host if host else '"" (every interface)'
    if auth is None and not no_auth:
        raise QAError(f"--host {shown} would let anyone on the network read your documents: "
                      "add --auth-file FILE (or set QA_AUTH=USER:PASSWORD), or --no-auth to allow it")
    return (f"qa: warning: serving on {shown}, reachable from other machines"
            + (" (login required; put it behind HTTPS, e.g. a reverse proxy with TLS: logins travel in clear)"
               if auth else " WITHOUT a login"))


def parse_auth(value: str | None) -> tuple[str, str] | None:
    if not value:
        return None
    user, sep, password = value.partition(":")
    if not sep or not user or not password:
        raise QAError("--auth takes USER:PASSWORD")
    return user, password


AUTH_ON_COMMAND_LINE = ("qa: warning: --auth puts the password on the command line, where every user of this "
                        "machine can read it (ps); use --auth-file FILE or QA_AUTH instead")


def model_label(name: str) -> str:
    """The model as shown to clients: a hub name as is, a local folder by its name only
    (never a path of the server)."""
    if "/" in name or "\\" in name:
        path = Path(name)
        if path.is_absolute() or name.startswith(".") or path.exists():
            return path.name or name
    return name


@dataclass
class LoginThrottle:
    """Failed logins per client address; `wait(client)` is how long it must still wait."""

    failures: dict[str, tuple[int, float]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def wait(self, client: str, now: float | None = None) -> float:
        now = time.monotonic() if now is None else now
        with self.lock:
            count, last = self.failures.get(client, (0, 0.0))
        if not count:
            return 0.0
        return max(0.0, last + self.delay(count) - now)

    @staticmethod
    def delay(count: int) -> float:
        return min(MAX_DELAY, FIRST_DELAY * 2 ** (count - 1))

    def failed(self, client: str, now: float | None = None) -> None:
        now = time.monotonic() if now is None else now
        with self.lock:
            count, _ = self.failures.get(client, (0, 0.0))
            self.failures[client] = (count + 1, now)
            if len(self.failures) > 100_000:  # bounded memory under a flood of addresses
                self.failures.pop(next(iter(self.failures)))

    def succeeded(self, client: str) -> None:
        with self.lock:
            self.failures.pop(client, None)

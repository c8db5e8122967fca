"""The persistent local engine: one `prefect server start` on 127.0.0.1 that ad hoc runs share.

Without a Prefect server, every flow run starts (and stops) a temporary API server of its own: seconds
before the first task. `themewire server start` starts a real server once, detached, and records it
under the Prefect home (`$PREFECT_HOME`, default `~/.prefect`):

    themewire-engine.json   {"pid", "port", "url", "log", "started_at"}
    themewire-engine.log    the server's output

While it is up, the CLI's run commands point PREFECT_API_URL at it (`use_local_engine`, at the edge,
before prefect is imported); a user's own PREFECT_API_URL always wins. Standard library only: nothing
here imports prefect, so `themewire server status` and every run's check stay cheap.
"""

from __future__ import annotations

import json
import os
import signal
import socketserver
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

from flows.prefect_env import OFFLINE_DEFAULTS

STATE_FILE = "themewire-engine.json"
LOG_FILE = "themewire-engine.log"
HOST = "127.0.0.1"
START_TIMEOUT_SECONDS = 180.0  # measured: ~12-22 s on an idle 2-core machine, several times that when busy
STOP_TIMEOUT_SECONDS = 30.0


class EngineError(RuntimeError):
    """The engine could not be started or stopped; the message says why (and where its log is)."""


@dataclass(frozen=True)
class EngineInfo:
    pid: int
    port: int
    url: str  # the API URL, what PREFECT_API_URL is set to
    log: str
    started_at: str


@dataclass(frozen=True)
class EngineStatus:
    state: str  # up | starting (the process runs, the API does not answer yet) | down
    info: EngineInfo | None

    @property
    def up(self) -> bool:
        return self.state == "up"


def prefect_home(environ=os.environ) -> Path:
    return Path(environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()


def read_engine(home: Path) -> EngineInfo | None:
    """The recorded engine, or None (no record, or an unreadable one)."""
    try:
        data = json.loads((home / STATE_FILE).read_text(encoding="utf-8"))
        return EngineInfo(**{k: data[k] for k in EngineInfo.__dataclass_fields__})
    except (OSError, ValueError, KeyError, TypeError):
        return None


def read_engine_status(home: Path, *, health_timeout: float = 2.0) -> EngineStatus:
    info = read_engine(home)
    if info is None or not _alive(info.pid):
        return EngineStatus("down", info)
    return EngineStatus("up" if _healthy(info.url, health_timeout) else "starting", info)


def start_engine(home: Path, port: int | None = None, *, timeout: float = START_TIMEOUT_SECONDS
                 ) -> tuple[EngineInfo, bool]:
    """Start the server detached (its own session, so it outlives this process) and wait until its API
    answers. Returns (info, started): started is False when one was already up."""
    status = read_engine_status(home)
    if status.info is not None and status.state != "down":
        if status.up or _wait_healthy(status.info, timeout):
            return status.info, False
        raise EngineError(f"the engine (pid {status.info.pid}) is running but its API does not answer; "
                          f"see {status.info.log}, or `themewire server stop`")
    home.mkdir(parents=True, exist_ok=True)
    (home / STATE_FILE).unlink(missing_ok=True)
    port = port or free_port()
    if not _port_free(port):
        raise EngineError(f"port {port} on {HOST} is in use; pick another with --port")
    log_path = home / LOG_FILE
    env = {**os.environ, **{k: os.environ.get(k, v) for k, v in OFFLINE_DEFAULTS.items()},
           "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    env.pop("PREFECT_API_URL", None)  # the server is the API; it must not look for another one
    cmd = [sys.executable, "-m", "prefect", "server", "start", "--host", HOST, "--port", str(port),
           "--analytics-off"]
    with open(log_path, "ab") as log:
        log.write(f"\n--- {_now()} {' '.join(cmd)}\n".encode())
        log.flush()
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                env=env, cwd=str(home), start_new_session=True)
    info = EngineInfo(pid=proc.pid, port=port, url=f"http://{HOST}:{port}/api", log=str(log_path),
                      started_at=_now())
    (home / STATE_FILE).write_text(json.dumps(asdict(info), indent=1), encoding="utf-8")
    if _wait_healthy(info, timeout, proc=proc):
        return info, True
    code = proc.poll()
    _terminate(info.pid, proc=proc)
    (home / STATE_FILE).unlink(missing_ok=True)
    why = f"exited with code {code}" if code is not None else f"did not answer within {timeout:g}s"
    raise EngineError(f"the Prefect server {why}; its log ({log_path}) ends:\n{_tail(log_path)}")


def stop_engine(home: Path, *, timeout: float = STOP_TIMEOUT_SECONDS) -> EngineInfo | None:
    """SIGTERM to the server's process group, SIGKILL if it is still there after `timeout`; the record
    is removed. Returns what was stopped, or None when nothing was running."""
    info = read_engine(home)
    running = info is not None and _alive(info.pid)
    if running:
        _terminate(info.pid, timeout=timeout)
    (home / STATE_FILE).unlink(missing_ok=True)
    return info if running else None


def use_local_engine(environ=os.environ) -> str | None:
    """At the edge, before prefect is imported: if the user has no PREFECT_API_URL of their own and the
    local engine is up, point PREFECT_API_URL at it for this process. Returns its URL, or None (the
    run then starts Prefect's temporary server, as without the engine)."""
    if environ.get("PREFECT_API_URL"):
        return None
    status = read_engine_status(prefect_home(environ), health_timeout=1.0)
    if not status.up:
        return None
    environ["PREFECT_API_URL"] = status.info.url
    return status.info.url


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on now (the OS's pick)."""
    with socketserver.TCPServer((HOST, 0), socketserver.BaseRequestHandler) as server:
        return server.server_address[1]


# --- internals -------------------------------------------------------------------------------------


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _port_free(port: int) -> bool:
    try:
        with socketserver.TCPServer((HOST, port), socketserver.BaseRequestHandler):
            return True
    except OSError:
        return False


def _healthy(url: str, timeout: float) -> bool:
    try:
        with urllib.request.urlopen(url + "/health", timeout=timeout) as r:  # noqa: S310 - our loopback URL
            return r.status == 200
    except (OSError, urllib.error.URLError, ValueError):
        return False


def _wait_healthy(info: EngineInfo, timeout: float, *, proc: subprocess.Popen | None = None) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        if not _alive(info.pid):
            return False
        if _healthy(info.url, 2.0):
            return True
        time.sleep(0.25)
    return False


def _alive(pid: int) -> bool:
    """A running process with this pid that is a Prefect server (a zombie, or a pid reused by another
    program, is not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return False  # not ours
    proc = Path(f"/proc/{pid}")
    if not proc.exists():  # not Linux: the signal check is all there is
        return True
    try:
        state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = (proc / "cmdline").read_bytes()
    except (OSError, IndexError):
        return False
    return state != "Z" and b"prefect" in cmdline and b"server" in cmdline


def _terminate(pid: int, *, timeout: float = STOP_TIMEOUT_SECONDS, proc: subprocess.Popen | None = None) -> None:
    """The server and every process it started (its own session: pgid == pid)."""
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(pid, sig)
        except (ProcessLookupError, PermissionError):
            pass
        deadline = time.monotonic() + (timeout if sig == signal.SIGTERM else 5.0)
        while time.monotonic() < deadline:
            if proc is not None:
                proc.poll()  # reap our own child, or it stays a zombie
            if not _alive(pid) and not _group_alive(pid):
                return
            time.sleep(0.1)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except (ProcessLookupError, PermissionError):
        return False
    procs = Path("/proc")
    if not procs.exists():
        return True
    for p in procs.iterdir():  # members that are zombies do not count
        if not p.name.isdigit():
            continue
        try:
            fields = (p / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            return True
    return False


def _tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"

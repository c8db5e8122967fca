"""themewire server start|stop|status: the persistent local Prefect engine for ad hoc runs (flows/engine.py)."""

from __future__ import annotations

from flows.cli import EXIT_FAILED, EXIT_OK

NAME = "server"
HELP = "start, stop or show the local Prefect engine that ad hoc runs use when it is up"
DESCRIPTION = (HELP + ". `start` runs `prefect server start` on 127.0.0.1, detached, and records its port, pid "
               "and log file under the Prefect home ($PREFECT_HOME, default ~/.prefect); while it is up, "
               "demo/ingest/backfill/reprocess use it instead of starting a temporary server each time. "
               "`status` exits 0 when it is up, 1 otherwise.")


def add_arguments(p) -> None:
    p.add_argument("action", choices=("start", "stop", "status"), help="what to do")
    p.add_argument("--port", type=int, metavar="N",
                   help="port on 127.0.0.1 for `start` (default: a free one, recorded)")
    p.add_argument("--timeout", type=float, metavar="SECONDS", default=None,
                   help="how long `start` waits for the API to answer (default 180)")


def run(args) -> int:
    from flows import engine
    from flows.cli import output

    home = engine.prefect_home()
    if args.action == "start":
        try:
            info, started = engine.start_engine(home, args.port,
                                                timeout=args.timeout or engine.START_TIMEOUT_SECONDS)
        except engine.EngineError as e:
            output.error(f"themewire server: {e}")
            return EXIT_FAILED
        verb = "started" if started else "already up"
        output.result(f"engine {verb}: {info.url} (pid {info.pid}, log {info.log})",
                      {"state": "up", "started": started, "url": info.url, "pid": info.pid, "log": info.log})
        return EXIT_OK
    if args.action == "stop":
        stopped = engine.stop_engine(home)
        line = f"engine stopped (pid {stopped.pid})" if stopped else "engine was not running"
        output.result(line, {"state": "down", "stopped_pid": stopped.pid if stopped else None})
        return EXIT_OK
    status = engine.read_engine_status(home)
    info = status.info
    if status.state == "down":
        line = "engine down (start it with `themewire server start`)"
    else:
        line = f"engine {status.state}: {info.url} (pid {info.pid}, since {info.started_at}, log {info.log})"
    payload = {"state": status.state, "url": info.url if info and status.state != "down" else None,
               "pid": info.pid if info and status.state != "down" else None, "home": str(home)}
    output.result(line, payload)
    return EXIT_OK if status.up else EXIT_FAILED

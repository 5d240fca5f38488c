"""gunicorn settings that `fazhi serve` passes with `--config python:fazhi.core.gunicorn_conf`."""


def when_ready(server) -> None:
    """In the master, before the first worker is forked: load what every worker needs (core.warmup)."""
    from fazhi.core.warmup import warm_all

    server.log.info("warm-up: %s", warm_all())

"""Start the web app: `serve(host, port, token=...)` checks the bind first (nothing listens when refused)."""
from __future__ import annotations

from collections.abc import Callable

from .safety import check_bind, is_loopback


def address(host: str, port: int, token: str | None) -> str:
    """The address to open; with a token, the one-time link that sets the access cookie."""
    shown = f"[{host}]" if ":" in host else host
    url = f"http://{shown}:{port}/"
    return f"{url}?token={token}" if token and not is_loopback(host) else url


def serve(host: str = "127.0.0.1", port: int = 8765, *, token: str | None = None, max_upload_mb: float = 32,
          announce: Callable[[str], None] | None = None) -> None:
    """Run `peri serve` until interrupted. A non-loopback host without a token raises ConfigError first."""
    import uvicorn

    from ..errors import ConfigError
    from .app import WebSettings, create_app

    check_bind(host, token)
    if not 0 < max_upload_mb <= 1024:
        raise ConfigError(f"--max-upload-mb {max_upload_mb} is outside 0-1024", place="--max-upload-mb")
    if not 0 < port < 65536:
        raise ConfigError(f"--port {port} is outside 1-65535", place="--port")
    hosts = {"127.0.0.1", "localhost", "[::1]", host.lower() if ":" not in host else f"[{host.lower()}]"} \
        if is_loopback(host) else None
    app = create_app(WebSettings(token=token, max_upload_bytes=int(max_upload_mb * 1_048_576), allowed_hosts=hosts))
    if announce:
        announce(address(host, port, token))
    uvicorn.run(app, host=host, port=port, log_level="warning", server_header=False)

"""`peri serve`: the local web app (Athletes, Prompt, Plans, Blind comparison, Experiment, Decide, Peri, Journey)."""
from __future__ import annotations

import os

import typer

from .common import console, friendly


def register(app: typer.Typer) -> None:
    @app.command()
    @friendly
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="address to listen on; anything but loopback needs --token"),
        port: int = typer.Option(8765, "--port", help="TCP port"),
        token: str = typer.Option(None, "--token", help="access token (16+ characters) required off loopback; "
                                  "default $PERI_WEB_TOKEN", show_default=False),
        max_upload_mb: float = typer.Option(32.0, "--max-upload-mb", help="largest export accepted by upload"),
    ) -> None:
        """Open peri in the browser: the same library functions as the CLI, on this machine only by default."""
        from ..web.serve import serve as run

        run(host, port, token=token or os.environ.get("PERI_WEB_TOKEN") or None, max_upload_mb=max_upload_mb,
            announce=lambda url: console.print(f"peri is at [bold]{url}[/] (Ctrl+C stops it)", highlight=False))

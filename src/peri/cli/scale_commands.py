"""Commands for many athletes: `peri serve-models` (one engine, every adapter)."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from .common import console, friendly, open_store


def register(app: typer.Typer) -> None:
    app.command("serve-models")(serve_models)


@friendly
def serve_models(
    base: Optional[Path] = typer.Option(None, "--base", help="The base GGUF (default: the embedded model)."),
    port: int = typer.Option(8088, "--port", min=0, max=65535, help="Loopback port (0: any free one)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Loopback address to listen on (127.0.0.1 or ::1)."),
    parallel: int = typer.Option(2, "--parallel", min=1, max=64, help="Requests decoded at once (llama.cpp slots)."),
    threads: Optional[int] = typer.Option(None, "--threads", min=1, help="CPU threads (default: the free cores, at most 2)."),
) -> None:
    """Serve the base model and every registered adapter on it from one llama.cpp engine (OpenAI API on loopback).

    A request picks its adapter with `"model": "ft:NAME"`; peri reaches it with `lora:http://HOST:PORT/v1#NAME`,
    or with `ft:NAME` when PERI_LORA_SERVER=http://HOST:PORT/v1 is set.
    """
    from ..backends.multi_lora import MultiLoraEngine, serve_http, served_adapters
    from ..paths import embedded_model_path

    base_path = base or embedded_model_path()
    with open_store() as store:
        adapters, skipped = served_adapters(store, base_path)
    for line in skipped:
        console.print(f"[yellow]skipped[/yellow] {line}")
    engine = MultiLoraEngine(base_path, adapters, n_parallel=parallel, n_threads=threads)
    httpd = serve_http(engine, host, port)
    url = f"http://{host}:{httpd.server_address[1]}/v1"
    console.print(f"serving {base_path.name} with {len(adapters)} adapter(s) at {url}")
    for a in adapters:
        console.print(f"  ft:{a.name}  ->  lora:{url}#{a.name}")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        httpd.server_close()
        engine.close()

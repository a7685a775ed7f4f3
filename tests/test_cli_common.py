"""What every command shares: no raw control characters on the terminal, one line per error."""
from __future__ import annotations

import io

import pytest
from typer.testing import CliRunner

from peri.cli.app import app
from peri.cli.common import SafeConsole, terminal_safe

EVIL = "\x1b[31mred\x1b]0;retitled\x07\x1b[2J\u202eesrever\u2066[/]\x08"


def _run(*args: str):
    return CliRunner().invoke(app, list(args))


def test_terminal_safe_shows_controls_as_escapes():
    out = terminal_safe(EVIL)
    assert "\x1b" not in out and "\u202e" not in out and "\x07" not in out and "\x08" not in out
    assert "\\x1b[31mred" in out and "\\u202e" in out
    for fine in ("plain", "Čučanj 100 kg", "PR 🎉", "👨\u200d👩\u200d👧", "line\nbreak\tand tab"):
        assert terminal_safe(fine) == fine


def test_console_keeps_its_own_styles_but_not_names():
    buf = io.StringIO()
    c = SafeConsole(file=buf, force_terminal=True, color_system="standard", width=200)
    c.print(f"[bold]{EVIL}[/]")  # markup that no longer parses is printed literally, not raised
    c.print("[bold]ok[/]")
    text = buf.getvalue()
    assert "\x1b[1m" in text  # the console's own bold
    assert "\x1b[31m" not in text and "\x1b]0;" not in text and "\x1b[2J" not in text and "\u202e" not in text


def test_names_with_escapes_are_not_echoed_raw(home):
    for args in (["athlete", "add", EVIL], ["athlete", "list"], ["athlete", "show", EVIL], ["athlete", "show", "nobody[/]"]):
        r = _run(*args)
        assert "Traceback" not in r.output
        assert "\x1b" not in r.output and "\u202e" not in r.output, (args, r.output)


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 20,
    b"[" * 200_000 + b"]" * 200_000,
    b'{"days":' * 100_000 + b"1" + b"}" * 100_000,
    "\ufeff{\u202e}".encode(),
])
def test_check_on_hostile_files_gives_one_line(home, tmp_path, content):
    _run("athlete", "add", "bob")
    f = tmp_path / "plan.json"
    f.write_bytes(content)
    r = _run("check", str(f), "--athlete", "bob")
    assert r.exit_code == 1 and "Traceback" not in r.output
    assert len(r.output.strip().splitlines()) == 1 and r.output.startswith("error:")
    r = _run("check", str(tmp_path), "--athlete", "bob")
    assert r.exit_code == 1 and len(r.output.strip().splitlines()) == 1


def test_arguments_that_are_not_utf8_are_refused_in_one_line(home, tmp_path):
    import os
    import subprocess
    import sys

    code = "import sys; sys.argv[0] = 'peri'; from peri.cli.app import main; main()"
    env = {**os.environ, "PERI_HOME": str(home), "PYTHONPATH": os.pathsep.join(sys.path)}
    r = subprocess.run([sys.executable.encode(), b"-c", code.encode(), b"athlete", b"add", b"bad\xffname"],
                       capture_output=True, env=env, timeout=120)
    assert r.returncode == 2 and b"Traceback" not in r.stderr and b"not valid UTF-8" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_console_redacts_what_it_prints(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-PLANTED0123456789abcdef")
    buf = io.StringIO()
    c = SafeConsole(file=buf, width=200)
    c.print("planning with openai-compatible:http://u:hunter2hunter@h/v1#m, key sk-PLANTED0123456789abcdef")
    assert "hunter2hunter" not in buf.getvalue() and "sk-PLANTED" not in buf.getvalue()


def test_the_cli_consoles_do_not_highlight_what_they_print():
    """Rich's repr highlighter ran its regexes over every printed string and took 96 s on one hostile name the
    CLI fuzz drew; peri's consoles print with their own markup only."""
    from peri.cli.common import console, err_console

    text = "ana logged 123 sets of [1, 2] at 'home' on 2026-03-02"
    assert SafeConsole().render_str(text).spans  # what a default console would colour
    assert console.render_str(text).spans == [] and err_console.render_str(text).spans == []
    assert console.render_str("[bold]ok[/]").spans  # peri's own markup still styles

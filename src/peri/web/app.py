"""The Starlette app of `peri serve`: one route per page, each calling the library function the CLI calls.

Pages read with a fresh `Store` per request (SQLite WAL: readers never block the writer); anything that may
take more than a moment (a model generating, an experiment, an evaluation) is a background job
(`peri.web.jobs`) with its own store and a status page. Every form is CSRF-checked (`safety.check_csrf`)
before its body is used; every failure renders as a readable message, never a traceback.
"""
from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import secrets
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, Field
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from ..errors import ConfigError, NotFound, PeriError, PlanParseError
from ..log.models import PROFILE_FIELDS, Goal, Level, Scope
from ..log.store import Store
from ..paths import db_path, name_slug, peri_home
from ..plans.schema import Prescription, Scenario
from ..plans.view import effort_text
from . import charts
from .wording import for_the_form
from .jobs import JobRunner, error_text
from .safety import (
    DEFAULT_MAX_UPLOAD_BYTES, SESSION_COOKIE, TOKEN_COOKIE, Refused, check_access, check_csrf, check_origin, csrf_token,
    new_session_id,
)

log = logging.getLogger("peri.web")
HERE = Path(__file__).parent
IMPORT_FORMATS = ("auto", "strong", "hevy", "fitnotes", "csv")  # auto first: most people do not know the app's name
DATE_ORDERS = ("", "dmy", "mdy")  # "" = from the file's own dates
SCENARIOS = [s.value for s in Scenario]
UPLOAD_TTL_S = 3600  # an upload waiting for its confirmation is deleted after an hour


class WebSettings(BaseModel):
    """How the app runs: the access token (required off loopback), the upload cap, the CSRF secret."""

    token: str | None = None
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD_BYTES
    secret: bytes = Field(default_factory=lambda: secrets.token_bytes(32))
    workers: int = 2
    # Host names a request may be addressed to (port left out); None = any. On a loopback bind `peri serve`
    # sets the loopback names, so a page elsewhere cannot reach this app through DNS rebinding.
    allowed_hosts: set[str] | None = None
    # Handles for the hosted fine-tunes (tests pass an in-process transport and a fixed day): the providers'
    # HTTP client (None: their SDK's own) and the clock the dated price table is read on (None: today).
    http_client: Any = None
    today: Any = None


# ------------------------------------------------------------------------------------------ plumbing


def open_store() -> Store:
    return Store(db_path())


class _TooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: refuse a request body over `limit` bytes, by Content-Length or while it streams in."""

    def __init__(self, app: Any, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        too_big = HTMLResponse(_error_html(
            f"refused: the upload is larger than {self.limit / 1_048_576:.0f} MB (nothing was read or written)",
            "export a shorter date range, or start peri serve with a larger --max-upload-mb"), status_code=413)
        if length is not None and length.isdigit() and int(length) > self.limit:
            await too_big(scope, receive, send)
            return
        seen = 0

        async def counted() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise _TooLarge
            return message

        started = False

        async def tracked_send(message: dict) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, tracked_send)
        except _TooLarge:
            if not started:
                await too_big(scope, receive, send)


# Every response: no framing by other sites, no sniffing, nothing loaded from anywhere but this app.
SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"), (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
    (b"content-security-policy", b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' "
                                  b"'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'"),
]


def _host_name(host: str) -> str:
    host = host.strip().lower()
    if host.startswith("["):
        return host.split("]")[0] + "]"
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _error_html(message: str, hint: str | None = None) -> str:
    import html

    h = f"<p class='hint'>{html.escape(hint)}</p>" if hint else ""
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>peri — refused</title></head><body>"
            f"<div class='error' role='alert'><p>{html.escape(message)}</p>{h}</div>"
            f"<p><a href='/'>back to peri</a></p></body></html>")


class Guard:
    """ASGI middleware: the access token (when set) and the session cookie every CSRF token is bound to."""

    def __init__(self, app: Any, settings: WebSettings) -> None:
        self.app, self.settings = app, settings

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        allowed = self.settings.allowed_hosts
        if allowed is not None and _host_name(request.headers.get("host", "")) not in allowed:
            resp = HTMLResponse(_error_html("refused: this peri server answers only to the address it listens on",
                                            "open http://127.0.0.1:PORT/ as `peri serve` printed it"), status_code=421)
            await resp(scope, receive, send)
            return
        token = self.settings.token
        query_token = request.query_params.get("token")
        if not check_access(token, request.cookies.get(TOKEN_COOKIE), request.headers.get("authorization"), query_token):
            resp = HTMLResponse(_error_html(
                "refused: this peri server needs its access token",
                "open the link `peri serve` printed (it ends in ?token=...), or send Authorization: Bearer TOKEN"),
                status_code=401)
            await resp(scope, receive, send)
            return
        if token and query_token and request.method == "GET":
            # the token link sets a cookie once; the token leaves the address bar (and history, logs) at once
            resp = RedirectResponse(str(request.url.remove_query_params("token")), status_code=303)
            resp.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="strict")
            await resp(scope, receive, send)
            return
        sid = request.cookies.get(SESSION_COOKIE)
        new_sid = None
        if not sid or len(sid) > 100:
            sid = new_sid = new_session_id()
        scope.setdefault("state", {})["session_id"] = sid

        async def send_with_cookie(message: dict) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                if new_sid:
                    cookie = f"{SESSION_COOKIE}={new_sid}; HttpOnly; SameSite=Strict; Path=/"
                    headers.append((b"set-cookie", cookie.encode()))
                headers.extend(SECURITY_HEADERS)
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _name_upload(report: Any, path: Path, original: str) -> None:
    """The report's lines name the uploaded file by its own name, never the server's copy (`FILE:LINE` places)."""
    report.warnings = [for_the_form(w.replace(str(path), original)) for w in report.warnings]
    report.refused = [w.replace(str(path), original) for w in report.refused]
    report.unit_flags = [for_the_form(f) for f in report.unit_flags]  # the form's fields, not the CLI's flags


def _import_options(unit: str | None, date_order: str, person: str = "", year: str = "",
                    tz: str = "") -> dict[str, str] | None:
    """The import form's choices as `import_file` options (the CLI's --unit, --date-format, --person, --year,
    --tz)."""
    options = {k: v for k, v in (("unit", unit), ("date_format", date_order), ("person", person), ("year", year),
                                 ("tz", tz)) if v}
    return options or None


def _year_field(form: Any) -> str:
    """The form's "year" (of the first date of a file whose dates carry none, the CLI's --year): "" or 4 digits."""
    year = str(form.get("year") or "").strip()
    if year and not (len(year) == 4 and year.isascii() and year.isdigit()
                     and 1970 <= int(year) <= dt.date.today().year + 1):
        raise ConfigError(f"the year {year[:20]!r} is not a year from 1970 to next year", place="year",
                          hint="the year of the file's first date, or leave it empty")
    return year


def _stale(report: Any) -> str | None:
    """The note `peri import` prints for a log that ended long ago, said for the web pages."""
    from ..log.importers import stale_log_note

    return for_the_form(stale_log_note(report.last_session))


def _web_hint(hint: str | None) -> str | None:
    """A library hint naming the CLI's flags (--year, --unit, --date-format...) said as the form's fields."""
    return for_the_form(hint)


def _person(form: Any) -> str:
    """The form's "person" (whose rows to read from a file of several people's training), bounded."""
    person = str(form.get("person") or "").strip()
    if len(person) > 200 or any(ord(c) < 32 for c in person):
        raise ConfigError("the person's name is over 200 characters or holds control characters", place="person")
    return person


def _import_fields(form: Any) -> dict[str, str]:
    """The import form's choices every step carries (athlete, unit, date order, person, year), each checked by
    name: the preview, the column chooser and the confirmation read them alike."""
    athlete = str(form.get("athlete") or "").strip()
    unit = str(form.get("unit") or "")
    date_order = str(form.get("date_order") or "")
    if not athlete:
        raise ConfigError("give the athlete's name", place="athlete")
    if len(athlete) > 200 or any(ord(c) < 32 or ord(c) == 127 for c in athlete):
        raise ConfigError("the athlete's name is over 200 characters or holds control characters", place="athlete")
    if unit not in ("", "kg", "lb"):
        raise ConfigError(f"unknown unit {unit[:20]!r}", place="unit", hint="kg or lb")
    if date_order not in DATE_ORDERS:
        raise ConfigError(f"unknown date order {date_order[:20]!r}", place="date order",
                          hint="day first (dmy), month first (mdy), or from the file")
    return {"athlete": athlete, "unit": unit, "date_order": date_order, "person": _person(form),
            "year": _year_field(form), "tz": _tz_field(form)}


def _tz_field(form: Any) -> str:
    """The form's "tz" (the lifter's time zone, for timestamps that carry one; the CLI's --tz): "" or an IANA name
    the machine knows, else refused by the field."""
    from ..log.importers.zones import zone_option

    tz = str(form.get("tz") or "").strip()
    if len(tz) > 64 or any(ord(c) < 32 or ord(c) == 127 for c in tz):
        raise ConfigError("the time zone is over 64 characters or holds control characters", place="tz")
    try:
        zone_option(tz)
    except ConfigError:
        raise ConfigError(f"time zone {tz[:40]!r} is not one peri knows", place="tz",
                          hint="an IANA zone name, e.g. Europe/Berlin, America/New_York, UTC; or leave it empty") from None
    return tz


def _opts(fields: dict[str, str]) -> dict[str, Any]:
    """`_import_options`'s arguments from `_import_fields`."""
    return {"unit": fields["unit"] or None, "date_order": fields["date_order"], "person": fields["person"],
            "year": fields["year"], "tz": fields["tz"]}


def _original(form: Any) -> str:
    """The person's own name of the uploaded file, as the pages carry it (shown escaped; never a path here)."""
    return Path(str(form.get("original") or "upload")).name[:200] or "upload"


def _upload_error(e: PeriError, path: Path, original: str) -> PeriError:
    """The library's error about an upload, naming the person's file instead of the server's copy, said for the form."""
    return type(e)(for_the_form(e.message.replace(str(path), original)),
                   place=(e.place or "").replace(str(path), original) or None, hint=_web_hint(e.hint))


def _adapter_hint(hint: str | None) -> str | None:
    """`import_adapter`'s next steps (the CLI's --name, --replace, --base) said for the Fine-tune page's form."""
    for flag, field in (("choose another --name, or pass --replace", "choose another name, or tick 'replace a model "
                         "of that name'"), ("pass --base with the exact file it was trained on",
                         "it serves only on the very base file it was trained on"),
                        ("pass --base with the .gguf file the adapter was trained on",
                         "it serves only on the .gguf base file it was trained on")):
        hint = hint.replace(flag, field) if hint else hint
    return hint


def _head_or_none(path: Path) -> Any:
    """The upload's header and first rows (`columns.file_head`), or None for a file that is no table."""
    from .columns import file_head

    try:
        head = file_head(path)
    except PeriError:
        return None
    return head if len(head.header) >= 2 else None


# The form fields that may come more than once (several names or arms chosen); every other field once.
MULTI_FIELDS = frozenset({"name", "arm", "approach"})


def _athletes() -> list[str]:
    try:
        with open_store() as s:
            return [a.name for a in s.list_athletes()]
    except (PeriError, sqlite3.Error):
        return []


class Pages:
    """The route handlers; one instance per app (its job runner, its settings, its templates)."""

    def __init__(self, settings: WebSettings) -> None:
        self.settings = settings
        self.jobs = JobRunner(settings.workers, open_store)
        self.templates = Jinja2Templates(directory=str(HERE / "templates"))
        self.templates.env.globals.update(scenarios=SCENARIOS, formats=IMPORT_FORMATS)
        self.templates.env.filters["num"] = _num
        self.templates.env.filters["load"] = _load
        self.templates.env.filters["inunit"] = _in_unit
        self.templates.env.filters["md"] = _inline_markdown
        self.templates.env.filters["effort"] = _effort
        self.templates.env.filters["said"] = for_the_form  # a library sentence naming the CLI's flags, said for the page
        self.chats: dict[str, list[Any]] = {}

    # --- rendering -------------------------------------------------------------------------------
    def csrf(self, request: Request) -> str:
        return csrf_token(self.settings.secret, request.state.session_id)

    def render(self, request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        athletes = ctx.pop("athletes", None)
        if athletes is None:
            athletes = _athletes()
        athlete = ctx.get("athlete") or request.query_params.get("athlete") or (athletes[0] if athletes else None)
        ctx.setdefault("athlete", athlete)
        return self.templates.TemplateResponse(
            request, name, {"csrf": self.csrf(request), "athletes": athletes, "page": name.split(".")[0], **ctx},
            status_code=status)

    def error(self, request: Request, message: str, hint: str | None = None, status: int = 400) -> HTMLResponse:
        # the library's errors name the CLI's steps; a person here has the pages
        return self.render(request, "error.html", status=status, message=for_the_form(message), hint=for_the_form(hint))

    async def form(self, request: Request) -> FormData:
        """The POSTed form, after the CSRF check (a forged POST is refused before its body is used)."""
        h = request.headers
        # the headers first: a cross-site POST is refused before its body is even read
        check_origin(origin=h.get("origin"), referer=h.get("referer"), fetch_site=h.get("sec-fetch-site"),
                     host=h.get("host"))
        form = await request.form(max_files=1, max_fields=200)
        check_csrf(self.settings.secret, request.state.session_id, str(form.get("csrf") or "") or None)
        # a field sent twice would be read as whichever came last: say so instead of choosing for the person
        doubled = sorted({k for k, _ in form.multi_items() if k not in MULTI_FIELDS and len(form.getlist(k)) > 1})
        if doubled:
            raise ConfigError(f"the field {doubled[0]!r} came more than once; nothing was changed", place=doubled[0],
                              hint="send the form from its page again")
        return form


def page(fn: Callable[..., Awaitable[Response]]) -> Callable[..., Awaitable[Response]]:
    """Every failure inside a handler becomes a readable page: PeriError as its one line with the hint, a
    storage error named, anything else by its kind only (the traceback goes to the server's log)."""

    @functools.wraps(fn)
    async def wrapper(self: Pages, request: Request) -> Response:
        try:
            return await fn(self, request)
        except Refused as e:
            return self.error(request, e.message, e.hint, status=e.status)
        except _TooLarge:  # a body without Content-Length that grew past the cap while the form was read
            return self.error(request, f"refused: the upload is larger than {self.settings.max_upload_bytes / 1_048_576:.0f} MB "
                              "(nothing was read or written)", "export a shorter date range", status=413)
        except HTTPException as e:  # a form Starlette could not parse (broken multipart, too many fields)
            return self.error(request, f"the form could not be read: {e.detail}", "reload the page and try again",
                              status=e.status_code if 400 <= e.status_code < 500 else 400)
        except PeriError as e:
            text = f"{e.place}: {e.message}" if e.place else e.message
            return self.error(request, text, e.hint, status=404 if isinstance(e, NotFound) else 400)
        except sqlite3.Error as e:
            from ..log.store import storage_error

            return self.error(request, str(storage_error(e, db_path())), status=503)
        except Exception as e:  # noqa: BLE001 - never a stack trace on a page
            log.exception("error on %s", request.url.path)
            return self.error(request, f"something went wrong ({error_text(e)})",
                              "nothing half-done was kept; the server's log has the details", status=500)

    return wrapper


def _load(kg: float | None, unit: str = "kg") -> str:
    """A plan's load as the athlete loads it (log.shown_unit)."""
    from ..log.shown_unit import shown_load

    return _num(None if kg is None else shown_load(kg, unit), "g")  # type: ignore[arg-type]


def _in_unit(kg: float | None, unit: str = "kg", spec: str = ".1f") -> str:
    """A figure in kg (tonnage, e1RM) in the athlete's unit."""
    from ..log.shown_unit import in_unit

    return _num(None if kg is None else in_unit(kg, unit), spec)  # type: ignore[arg-type]


def _num(x: Any, spec: str = ".1f") -> str:
    if x is None:
        return "–"
    if isinstance(x, bool):
        return "yes" if x else "no"
    if isinstance(x, int):
        return f"{x:,}"
    try:
        return format(x, spec)
    except (TypeError, ValueError):
        return str(x)


def _inline_markdown(text: str) -> Any:
    """Peri's answers use **bold** and `code`: shown as such, everything else escaped (never raw HTML)."""
    import html
    import re

    from markupsafe import Markup

    out = html.escape(text or "", quote=False)
    out = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", out)
    out = re.sub(r"`([^`]+)`", r"<code>\1</code>", out)
    return Markup(out)


def _int(form: Any, key: str, default: int, lo: int, hi: int, label: str) -> int:
    raw = str(form.get(key) or "").strip()
    if not raw:
        return default
    try:
        v = int(raw)
    except ValueError:
        raise ConfigError(f"{label} {raw!r} is not a whole number", place=label) from None
    if not lo <= v <= hi:
        raise ConfigError(f"{label} {v} is outside {lo}-{hi}", place=label)
    return v


def _float(form: Any, key: str, label: str) -> float | None:
    raw = str(form.get(key) or "").strip()
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        raise ConfigError(f"{label} {raw!r} is not a number", place=label) from None


def _date(raw: Any, label: str) -> dt.date | None:
    raw = str(raw or "").strip()
    if not raw:
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        raise ConfigError(f"{label} {raw[:40]!r} is not a date", place=label, hint="YYYY-MM-DD") from None


def _day_field(form: Any, *, required: bool) -> str | None:
    """The form's "day" (a session's date as stored, any year): YYYY-MM-DD, checked as a date; None when blank
    and not required."""
    raw = str(form.get("day") or "").strip()
    if not raw:
        if required:
            raise ConfigError("the day is empty", place="day", hint="YYYY-MM-DD")
        return None
    try:
        ok = len(raw) == 10 and dt.date.fromisoformat(raw).isoformat() == raw
    except ValueError:
        ok = False
    if not ok:
        raise ConfigError(f"day {raw[:20]!r} is not a date", place="day", hint="YYYY-MM-DD")
    return raw


def _unit_field(form: Any) -> str:
    """The form's "unit" (the unit to re-read loads in): kg or lb, anything else refused by name."""
    unit = str(form.get("unit") or "").strip()
    if unit not in ("kg", "lb"):
        raise ConfigError(f"unit {unit[:20]!r} is not kg or lb", place="unit", hint="kg or lb")
    return unit


def _scenario(raw: Any) -> Scenario:
    try:
        return Scenario(str(raw or "normal"))
    except ValueError:
        raise ConfigError(f"unknown scenario {raw!r}", hint=", ".join(SCENARIOS)) from None


def _athlete(request: Request, form: Any = None) -> str:
    """The athlete a page or form names (the first one when none is named), refused unless one of the store's:
    a job started for a name that is not there would only fail later, on its own page."""
    name = (form.get("athlete") if form is not None else None) or request.query_params.get("athlete")
    names = _athletes()
    if not name and form is not None:  # a posted form always names its athlete: never start work for the first one
        raise ConfigError("the form names no athlete; nothing was started", place="athlete",
                          hint="send the form from its page again")
    if not name:
        if not names:
            raise NotFound("no athletes yet", hint="import an export on the Import page first")
        return names[0]
    name = str(name)
    if name not in names:
        shown = name if len(name) <= 60 and name.isprintable() else repr(name[:60]) + "…"
        raise NotFound(f"no athlete named {shown}", place="athlete",
                       hint=f"known: {', '.join(names[:20]) or 'none yet'}; import an export on the Import page "
                            "to add one")
    return name


class ChatTurn(BaseModel):
    """One question and Peri's answer on the Peri page, with what was left out of a long question (said above the
    answer) and its text (put back in the box for the next message)."""

    answer: Any
    left_out: str | None = None
    rest: str = ""


def _effort(p: Any) -> str:
    """A timed or distance set's "45 s" / "40 m" for the plan table, else "" (a plan read back from JSON too)."""
    return effort_text(p if isinstance(p, Prescription) else Prescription.model_validate(p))


class ModelChoice(BaseModel):
    value: str  # MODEL|STYLE|DETAIL as the blind comparison's arms and the plan form read it
    label: str


def model_choices(store: Store) -> list[ModelChoice]:
    """The approaches this installation can run now: the rule coach, the embedded model at each prompt style,
    and every registered fine-tune (with the short and hybrid prompts): local adapters, and the hosted fine-tunes
    the Fine-tune page registered, whose label says that the prompt goes to their provider."""
    out = [ModelChoice(value="rules", label="rules (rule-based coach)"),
           ModelChoice(value="embedded|engineered|3", label="embedded · engineered prompt · detail 3"),
           ModelChoice(value="embedded|engineered|1", label="embedded · engineered prompt · detail 1")]
    for m in store.list_models():
        if m.kind == "finetuned-local":
            where = ""
        elif m.kind in HOSTED_PROVIDERS:
            where = f" · hosted: sends the prompt to {HOSTED_PROVIDERS[m.kind]}"
        else:
            continue
        spec = f"ft:{m.name}"
        out.append(ModelChoice(value=f"{spec}|short|3", label=f"{spec} · short prompt{where}"))
        out.append(ModelChoice(value=f"{spec}|hybrid|3", label=f"{spec} · hybrid{where}"))
    return out


# ------------------------------------------------------------------------------------------ the pages


class Routes(Pages):
    # --- athletes ---------------------------------------------------------------------------------
    @page
    async def home(self, request: Request) -> Response:
        return RedirectResponse("/athletes", status_code=303)

    @page
    async def athletes(self, request: Request) -> Response:
        from ..log.summary import athlete_rows

        def work() -> Any:
            with open_store() as s:
                return athlete_rows(s)

        rows = await run_in_threadpool(work)
        return self.render(request, "athletes.html", rows=rows, athletes=[r.athlete.name for r in rows], sent={},
                           problem=None, **_profile_choices())

    @page
    async def athlete_add(self, request: Request) -> Response:
        """A new athlete without an import, through `add_athlete` as `peri athlete add` adds one; a refused form
        (a name taken, a field out of range) shows the Athletes page again with what was sent."""
        from ..log.profile import add_athlete
        from ..log.summary import athlete_rows
        from .forms import athlete_form

        form = await self.form(request)
        try:
            name, stated = athlete_form(form)

            def work() -> None:
                with open_store() as s:
                    add_athlete(s, name, stated)

            await run_in_threadpool(work)
        except PeriError as e:
            def rows() -> Any:
                with open_store() as s:
                    return athlete_rows(s)

            listed = await run_in_threadpool(rows)
            sent = {k: str(form.get(k) or "") for k in ADD_FIELDS}
            return self.render(request, "athletes.html", status=400, rows=listed,
                               athletes=[r.athlete.name for r in listed], problem=e, sent=sent, **_profile_choices())
        return RedirectResponse(f"/athletes/{quote(name)}#profile", status_code=303)

    @page
    async def athlete(self, request: Request) -> Response:
        from ..log.summary import athlete_summary

        name = request.path_params["name"]
        weeks = _int(request.query_params, "weeks", 12, 1, 520, "weeks")

        def work() -> Any:
            from ..log.name_mapping import unmapped_counts
            from ..log.shown_unit import store_unit

            with open_store() as s:
                summary = athlete_summary(s, name, weeks=weeks)
                unit = store_unit(s, name)
                unknown = len(unmapped_counts(s, summary.athlete.id or 0)[0])  # names for the Exercises page
            chart = charts.stats_svg(summary.weeks, f"{name}: training trends", unit) if summary.weeks else None
            return summary, chart, unit, unknown

        summary, chart, unit, unknown = await run_in_threadpool(work)
        stated = {f for f in PROFILE_FIELDS if summary.athlete.source(f).kind == "stated"}
        return self.render(request, "athlete.html", athlete=name, s=summary, chart=chart, weeks=weeks, a=summary.athlete, unit=unit,
                           unknown_names=unknown,
                           stated=stated, levels=[x.value for x in Level], goals=[x.value for x in Goal])

    @page
    async def profile_set(self, request: Request) -> Response:
        """The athlete page's profile form, through `set_profile` as `peri athlete set` (blank: read from the log)."""
        from ..log.profile import set_profile
        from .forms import profile_form

        name = request.path_params["name"]
        form = await self.form(request)

        def work() -> None:
            with open_store() as s:
                a = s.get_athlete(name)
                changes, unset = profile_form(form, {f for f in PROFILE_FIELDS if a.source(f).kind == "stated"})
                set_profile(s, name, changes, unset=unset)

        await run_in_threadpool(work)
        return RedirectResponse(f"/athletes/{quote(name)}#profile", status_code=303)

    # --- notes --------------------------------------------------------------------------------------
    @page
    async def notes(self, request: Request) -> Response:
        from ..log.annotate import MAX_NOTE_CHARS, list_notes

        name = request.path_params["name"]

        def work() -> Any:
            with open_store() as s:
                notes = list_notes(s, name)
                a = s.get_athlete(name)
                seen: dict[str, None] = {}
                for sess in reversed(s.sessions(a.id)):  # the exercises logged, latest first, for the form's list
                    for st in sess.sets:
                        seen.setdefault(st.exercise)
                return notes, list(seen)[:300]

        notes, exercises = await run_in_threadpool(work)
        mine = [n for n in notes if n.source == "manual"]
        imported = [n for n in notes if n.source != "manual"]
        return self.render(request, "notes.html", athlete=name, mine=mine, imported=imported[:NOTES_SHOWN],
                           imported_total=len(imported), exercises=exercises, today=dt.date.today().isoformat(),
                           max_chars=MAX_NOTE_CHARS, scopes=[x.value for x in Scope if x != Scope.set])

    @page
    async def note_add(self, request: Request) -> Response:
        """A note as `peri note` adds it (`add_note`): refused by field, nothing written, before it is stored."""
        from ..log.annotate import add_note
        from .forms import note_form

        name = request.path_params["name"]
        form = await self.form(request)
        args = note_form(form)

        def work() -> Any:
            with open_store() as s:
                return add_note(s, name, args["day"], args["text"], exercise=args["exercise"], scope=args["scope"])

        saved = await run_in_threadpool(work)
        return RedirectResponse(f"/athletes/{quote(name)}/notes#note-{saved.id}", status_code=303)

    @page
    async def note_delete(self, request: Request) -> Response:
        from ..log.annotate import delete_note

        name = request.path_params["name"]
        form = await self.form(request)
        nid = _int(form, "note", 0, 1, 2**62, "note")

        def work() -> None:
            with open_store() as s:
                delete_note(s, name, nid)

        await run_in_threadpool(work)
        return RedirectResponse(f"/athletes/{quote(name)}/notes", status_code=303)

    # --- one person's data: see it, take a copy, erase it (`peri athlete export|delete`) ------------------------
    @page
    async def your_data(self, request: Request) -> Response:
        """What peri holds about the athlete, a download of all of it, and the form that erases it."""
        from ..log.your_data import footprint

        name = request.path_params["name"]

        def work() -> Any:
            with open_store() as s:
                return footprint(s, name)

        return self.render(request, "athlete_data.html", athlete=name, fp=await run_in_threadpool(work), erased=None)

    @page
    async def your_data_export(self, request: Request) -> Response:
        """The athlete's export as a ZIP download (written to a temporary file, sent, removed)."""
        from ..log.your_data import export_athlete

        name = request.path_params["name"]

        def work() -> bytes:
            with tempfile.TemporaryDirectory(prefix="peri-export-") as d, open_store() as s:
                out = Path(d) / "export.zip"
                export_athlete(s, name, out)
                return out.read_bytes()

        data = await run_in_threadpool(work)
        filename = f"peri-{name_slug(name)}-{dt.date.today().isoformat()}.zip"
        return Response(data, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    @page
    async def your_data_delete(self, request: Request) -> Response:
        """Erase the athlete whole; the form's `confirm` field must repeat the name exactly, or nothing is deleted."""
        from ..log.your_data import erase_athlete
        from .forms import text

        name = request.path_params["name"]
        form = await self.form(request)
        confirm = text(form, "confirm", "confirm", limit=200)

        def work() -> Any:
            with open_store() as s:
                return erase_athlete(s, name, confirm=confirm or "")

        erased = await run_in_threadpool(work)
        return self.render(request, "athlete_data.html", athlete=name, fp=erased.footprint, erased=erased)

    # --- the athlete's sessions, and deleting one (`peri import delete-session`) ---------------------------
    @page
    async def sessions(self, request: Request) -> Response:
        """The athlete's sessions, newest first (SESSIONS_SHOWN of them, or one day's: `day`), each with a Delete
        button (to a confirm page)."""
        name = request.path_params["name"]
        day = _day_field(request.query_params, required=False)

        def work() -> Any:
            with open_store() as s:
                a = s.get_athlete(name)
                assert a.id is not None
                return s.sessions(a.id)

        every = await run_in_threadpool(work)
        shown = [x for x in reversed(every) if day is None or x.started_at.date().isoformat() == day]
        return self.render(request, "athlete_sessions.html", athlete=name, rows=shown[:SESSIONS_SHOWN],
                           total=len(shown), day=day or "", deleted=None)

    async def _day_sessions(self, athlete: str, form: Any) -> tuple[str, str, list[Any], int]:
        """The sessions a delete names (its `day`, and its `session` name exactly: an unnamed one's is empty), as
        `Store.delete_sessions` selects them, with their notes; NotFound when there are none."""
        day = _day_field(form, required=True)
        assert day is not None
        if "session" not in form:  # never read as "every session of the day" for want of the field
            raise ConfigError("the form names no session (its session field is missing); nothing was deleted",
                              place="session", hint="use the Delete button on the Sessions page")
        if len(form.getlist("session")) > 1:  # a GET's query is not checked for doubled fields as a POST is
            raise ConfigError("the field 'session' came more than once; nothing was deleted", place="session")
        session = str(form.get("session") or "").strip()
        if len(session) > MAX_SESSION_NAME_CHARS or any(ord(c) < 32 or ord(c) == 127 for c in session):
            raise ConfigError(f"the session name is over {MAX_SESSION_NAME_CHARS} characters or holds control "
                              "characters", place="session")

        def work() -> tuple[list[Any], int]:
            with open_store() as s:
                a = s.get_athlete(athlete)
                assert a.id is not None
                these = [x for x in s.sessions(a.id) if x.started_at.date().isoformat() == day and x.name == session]
                ids = {x.id for x in these}
                return these, sum(1 for n in s.annotations(a.id) if n.session_id in ids)

        these, notes = await run_in_threadpool(work)
        if not these:
            called = f" named {session[:60]!r}" if session else " without a name"
            raise NotFound(f"{athlete} has no session on {day}{called}", place="day",
                           hint="the Sessions page lists them")
        return day, session, these, notes

    @page
    async def session_delete_confirm(self, request: Request) -> Response:
        """What deleting the session removes (its sets and notes), and the button that does it."""
        athlete = request.path_params["name"]
        day, session, these, notes = await self._day_sessions(athlete, request.query_params)
        return self.render(request, "session_delete.html", athlete=athlete, day=day, session=session, these=these,
                           notes=notes)

    @page
    async def session_delete(self, request: Request) -> Response:
        """`Store.delete_sessions` as `peri import delete-session --date DAY --name NAME` calls it: all or nothing."""
        athlete = request.path_params["name"]
        form = await self.form(request)
        day, session, _, _ = await self._day_sessions(athlete, form)

        def work() -> dict[str, int]:
            with open_store() as s:
                return s.delete_sessions(s.get_athlete(athlete).id or 0, day, session)

        counts = await run_in_threadpool(work)
        deleted = {"day": day, "name": session, **counts}
        return self.render(request, "athlete_sessions.html", athlete=athlete, rows=[], total=0, day="",
                           deleted=deleted)

    # --- exercise names the catalog does not know ------------------------------------------------------
    @page
    async def exercises(self, request: Request) -> Response:
        """The athlete's logged names with no catalog exercise, each with `suggest`'s proposal and why, a catalog
        search (GET `for`=NAME, `q`=TEXT) to pick another, and the confident proposals to accept at once."""
        from ..log.catalog import default_catalog
        from ..log.name_mapping import confident, suggest, unmapped
        from .forms import text

        name = request.path_params["name"]
        q = request.query_params
        search_for = text(q, "for", "name", limit=MAX_EXERCISE_NAME_CHARS)
        search_text = text(q, "q", "search", limit=MAX_SEARCH_CHARS)
        mapped = text(q, "mapped", "name", limit=MAX_EXERCISE_NAME_CHARS)
        accepted = _int(q, "accepted", 0, 0, 100_000, "accepted")

        def work() -> Any:
            cat = default_catalog()
            with open_store() as s:
                a = s.get_athlete(name)
                assert a.id is not None
                found = unmapped(s, a.id, cat)
                aliases = s.aliases()
                props = suggest(cat, Counter(found.counts), aliases, shapes=found.shapes)
                done = _mapped_now(s, a.id, mapped, aliases, cat) if mapped else None
            hits = cat.search(search_text or search_for or "", limit=SEARCH_HITS) if search_for else []
            return found, props, done, hits

        found, props, done, hits = await run_in_threadpool(work)
        return self.render(request, "athlete_exercises.html", athlete=name, found=found, props=props,
                           sure=confident(props), search_for=search_for, search_text=search_text or search_for,
                           hits=hits, done=done, accepted=accepted, max_name=MAX_EXERCISE_NAME_CHARS,
                           max_search=MAX_SEARCH_CHARS)

    @page
    async def exercise_map(self, request: Request) -> Response:
        """One logged name mapped to a catalog exercise through `add_alias`, as `peri catalog alias` maps it (every
        athlete's sets of that name); refused by field, nothing written, for a name this athlete never logged or
        an id not in the catalog."""
        from ..log.catalog import default_catalog
        from ..log.name_mapping import add_alias
        from .forms import text

        athlete = request.path_params["name"]
        form = await self.form(request)
        logged_name = text(form, "name", "name", limit=MAX_EXERCISE_NAME_CHARS, required=True)
        exercise_id = text(form, "exercise", "exercise", limit=MAX_EXERCISE_ID_CHARS, required=True)
        assert logged_name is not None and exercise_id is not None
        cat = default_catalog()
        try:
            cat.get(exercise_id)
        except NotFound:
            raise ConfigError(f"exercise {exercise_id[:60]!r} is not in the catalog", place="exercise",
                              hint="pick one of the proposals or search the catalog on the Exercises page") from None

        def work() -> None:
            with open_store() as s:
                a = s.get_athlete(athlete)
                assert a.id is not None
                if logged_name not in {n.strip() for n in _logged_names(s, a.id)}:  # the form's text is stripped
                    raise ConfigError(f"name {logged_name[:60]!r} is not an exercise {athlete} logged", place="name",
                                      hint="map the names listed on the Exercises page")
                add_alias(s, cat, logged_name, exercise_id)

        await run_in_threadpool(work)
        return RedirectResponse(f"/athletes/{quote(athlete)}/exercises?mapped={quote(logged_name)}#done", status_code=303)

    @page
    async def exercises_accept(self, request: Request) -> Response:
        """The confident proposals the page listed (posted as `name`), accepted through `accept` as
        `peri catalog unmapped --suggest --accept` accepts them; a name that has no confident proposal now
        refuses the whole form, nothing written."""
        from ..log.catalog import default_catalog
        from ..log.name_mapping import accept, confident, suggest, unmapped

        athlete = request.path_params["name"]
        form = await self.form(request)
        names = [str(v) for v in form.getlist("name")]
        if not names:
            raise ConfigError("no proposals were chosen", place="name", hint="reload the Exercises page")
        for n in names:
            if len(n) > MAX_EXERCISE_NAME_CHARS:
                raise ConfigError(f"name is {len(n)} characters; at most {MAX_EXERCISE_NAME_CHARS}", place="name")

        def work() -> int:
            cat = default_catalog()
            with open_store() as s:
                a = s.get_athlete(athlete)
                assert a.id is not None
                found = unmapped(s, a.id, cat)
                sure = {p.name: p for p in confident(suggest(cat, Counter(found.counts), s.aliases(), shapes=found.shapes))}
                for n in names:
                    if n not in sure:
                        raise ConfigError(f"name {n[:60]!r} has no confident proposal now", place="name",
                                          hint="reload the Exercises page: the log may have changed")
                accept(s, a.id, [sure[n] for n in dict.fromkeys(names)])
                return len(set(names))

        n = await run_in_threadpool(work)
        return RedirectResponse(f"/athletes/{quote(athlete)}/exercises?accepted={n}#done", status_code=303)

    # --- the athlete's imports, and undoing one ----------------------------------------------------------
    @page
    async def imports(self, request: Request) -> Response:
        """The athlete's imports as `peri import list` shows them, each with its unit and the unit check's doubt
        (`import_units`), an Undo button and a Re-read button (each to a confirm page)."""
        return await self._imports_page(request, request.path_params["name"])

    async def _imports_page(self, request: Request, name: str, **done: Any) -> Response:
        from ..log.import_units import import_units

        def work() -> Any:
            with open_store() as s:
                a = s.get_athlete(name)
                assert a.id is not None
                return s.imports(a.id), import_units(s, name)

        rows, units = await run_in_threadpool(work)
        return self.render(request, "athlete_imports.html", athlete=name, rows=rows, units=units,
                           undone=done.get("undone"), reread=done.get("reread"), relog=done.get("relog"))

    @page
    async def import_reunit_confirm(self, request: Request) -> Response:
        """What re-reading the import's loads in the other unit changes (`reread_preview`), and the button."""
        from ..log.import_units import reread_preview

        athlete = request.path_params["name"]
        row = await self._import_row(athlete, request.query_params)
        to_unit = _unit_field(request.query_params)

        def work() -> Any:
            with open_store() as s:
                return reread_preview(s, athlete, row["id"], to_unit)

        plan = await run_in_threadpool(work)
        return self.render(request, "import_reunit.html", athlete=athlete, row=row, plan=plan)

    @page
    async def import_reunit(self, request: Request) -> Response:
        """`reread_import` (`peri import reunit` for one import): the result shown on the Imports page, with the
        button that re-reads it back."""
        from ..log.import_units import reread_import

        athlete = request.path_params["name"]
        form = await self.form(request)
        row = await self._import_row(athlete, form)
        to_unit = _unit_field(form)

        def work() -> Any:
            with open_store() as s:
                return reread_import(s, athlete, row["id"], to_unit)

        done = await run_in_threadpool(work)
        return await self._imports_page(request, athlete, reread=done)

    @page
    async def log_reunit_confirm(self, request: Request) -> Response:
        """What re-reading every load (from a day on) in the other unit changes (`reunit_preview`), and the button."""
        from ..log.import_units import reunit_preview

        athlete = request.path_params["name"]
        to_unit = _unit_field(request.query_params)
        since = _date(request.query_params.get("since"), "since")

        def work() -> Any:
            with open_store() as s:
                return reunit_preview(s, athlete, to_unit, since)

        return self.render(request, "athlete_reunit.html", athlete=athlete, plan=await run_in_threadpool(work))

    @page
    async def log_reunit(self, request: Request) -> Response:
        """`reunit_log` (`peri import reunit --athlete NAME --from X --to Y [--since DAY]`): the result shown on
        the Imports page, with the button that re-reads it back."""
        from ..log.import_units import reunit_log

        athlete = request.path_params["name"]
        form = await self.form(request)
        to_unit = _unit_field(form)
        since = _date(form.get("since"), "since")

        def work() -> Any:
            with open_store() as s:
                return reunit_log(s, athlete, to_unit, since)

        done = await run_in_threadpool(work)
        return await self._imports_page(request, athlete, relog=done)

    async def _import_row(self, athlete: str, form: Any) -> dict[str, Any]:
        """The athlete's own import named by the `import` field; another athlete's or an unknown id is refused."""
        iid = _int(form, "import", 0, 1, 2**62, "import")
        if not iid:
            raise ConfigError("which import? the import id is empty", place="import")

        def work() -> dict[str, Any]:
            with open_store() as s:
                a = s.get_athlete(athlete)
                assert a.id is not None
                row = next((r for r in s.imports(a.id) if r["id"] == iid), None)
            if row is None:
                raise NotFound(f"import {iid} is not one of {athlete}'s imports", place="import",
                               hint=f"the Imports page lists {athlete}'s")
            return row

        return await run_in_threadpool(work)

    @page
    async def import_undo_confirm(self, request: Request) -> Response:
        """What undoing the import removes, and the button that does it (a second, confirming POST)."""
        athlete = request.path_params["name"]
        row = await self._import_row(athlete, request.query_params)
        return self.render(request, "import_undo.html", athlete=athlete, row=row)

    @page
    async def import_undo(self, request: Request) -> Response:
        """`store.undo_import`, as `peri import undo` calls it, for one of this athlete's imports; an import already
        undone is refused with the time it was undone, nothing touched."""
        athlete = request.path_params["name"]
        form = await self.form(request)
        row = await self._import_row(athlete, form)
        if row["undone_at"]:
            raise ConfigError(f"import {row['id']} was already undone at {row['undone_at'][:19]}; nothing was changed",
                              place="import")

        def work() -> Any:
            with open_store() as s:
                return s.undo_import(row["id"])

        counts = await run_in_threadpool(work)
        return await self._imports_page(request, athlete, undone={"id": row["id"], **counts})

    @page
    async def import_form(self, request: Request) -> Response:
        return self.render(request, "import.html", max_mb=self.settings.max_upload_bytes / 1_048_576)

    def _upload_dir(self) -> Path:
        d = peri_home() / "uploads"
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        now = dt.datetime.now().timestamp()
        for p in d.glob("*.upload"):  # uploads never confirmed
            try:
                if now - p.stat().st_mtime > UPLOAD_TTL_S:
                    p.unlink()
            except OSError:
                pass
        return d

    @page
    async def import_preview(self, request: Request) -> Response:
        from ..log.importers import import_file

        form = await self.form(request)
        fields = _import_fields(form)
        fmt = str(form.get("fmt") or "")
        upload = form.get("file")
        if fmt not in IMPORT_FORMATS:
            raise ConfigError(f"unknown export format {fmt!r}", place="format", hint=", ".join(IMPORT_FORMATS))
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ConfigError("choose the export file to upload", place="file")
        data = await upload.read()
        if not data:
            raise ConfigError("the uploaded file is empty", place=upload.filename)
        uid = secrets.token_hex(16)
        path = self._upload_dir() / f"{uid}.upload"
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        original = Path(upload.filename).name[:200]
        fields["original"] = original

        def work() -> Any:
            with open_store() as s:
                return import_file(s, fields["athlete"], fmt, path, dry_run=True, mapping=_import_options(**_opts(fields)),
                                   create_athlete=True)

        try:
            report = await run_in_threadpool(work)
        except PeriError as e:
            if "--map" in f"{e.message} {e.hint or ''}":
                # the library says a column mapping is the fix: the file's columns to choose, the upload kept
                head = await run_in_threadpool(_head_or_none, path)
                if head is not None:
                    return self._columns_page(request, uid, fields, head, {}, problem=_upload_error(e, path, original))
            path.unlink(missing_ok=True)  # a refused file is not kept
            raise _upload_error(e, path, original) from None
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        report.file = original
        _name_upload(report, path, original)
        return self.render(request, "import_preview.html", report=report, stale=_stale(report), upload_id=uid, fmt=fmt,
                           columns={}, sample=None, **fields)

    def _columns_page(self, request: Request, uid: str, fields: dict[str, str], head: Any, choices: dict[int, str],
                      problem: PeriError | None = None) -> Response:
        from .columns import LABELS
        from ..log.importers.generic_csv import FIELDS

        picked = choices or {i: f for i, f in enumerate(head.read_as) if f}
        return self.render(request, "import_columns.html", status=400 if problem else 200, upload_id=uid, head=head,
                           picked=picked, fields=FIELDS, labels=LABELS,
                           problem=problem, **fields)

    @page
    async def import_columns(self, request: Request) -> Response:
        """The column chooser for an upload waiting for its confirmation: its header and first rows, each column
        with the field it is read as (the choices posted with it, else what its name says)."""
        from .columns import chosen

        form = await self.form(request)
        uid, path = self._upload(form)
        fields = _import_fields(form)
        fields["original"] = _original(form)
        choices = chosen(form)
        head = await run_in_threadpool(_head_or_none, path)
        if head is None:
            raise ConfigError("this file is not a table of columns to choose from", place="file",
                              hint="upload the file again")
        return self._columns_page(request, uid, fields, head, choices)

    @page
    async def import_mapped(self, request: Request) -> Response:
        """The upload read with the columns the person chose (`peri import csv --map`), as a dry run, with the first
        sets as read; refused choices (a field twice, a column the file has not...) show the chooser again with
        them, as does a file those columns still cannot read."""
        from ..log.importers import import_file, parse_file
        from .columns import chosen, column_mapping, sample

        form = await self.form(request)
        uid, path = self._upload(form)
        fields = _import_fields(form)
        original = fields["original"] = _original(form)
        choices = chosen(form)
        head = await run_in_threadpool(_head_or_none, path)
        if head is None:
            raise ConfigError("this file is not a table of columns to choose from", place="file",
                              hint="upload the file again")
        try:
            columns = column_mapping(choices, head.header)
        except ConfigError as e:
            return self._columns_page(request, uid, fields, head, choices, problem=e)
        mapping = {**(_import_options(**_opts(fields)) or {}), "columns": columns}

        def work() -> Any:
            with open_store() as s:
                report = import_file(s, fields["athlete"], "csv", path, dry_run=True, mapping=mapping,
                                     create_athlete=True)
            return report, sample(parse_file("csv", path, mapping=mapping))

        try:
            report, sets = await run_in_threadpool(work)
        except PeriError as e:
            return self._columns_page(request, uid, fields, head, choices, problem=_upload_error(e, path, original))
        report.file = original
        _name_upload(report, path, original)
        return self.render(request, "import_preview.html", report=report, stale=_stale(report), upload_id=uid,
                           fmt="csv", columns=choices, sample=sets, **fields)

    def _upload(self, form: Any) -> tuple[str, Path]:
        """The upload a form names (`upload_id`), still waiting for its confirmation."""
        uid = str(form.get("upload_id") or "")
        if len(uid) != 32 or any(c not in "0123456789abcdef" for c in uid):
            raise ConfigError("that upload is unknown", place="upload_id", hint="upload the file again")
        path = self._upload_dir() / f"{uid}.upload"
        if not path.is_file():
            raise NotFound("that upload is no longer here (confirmed already, or older than an hour)",
                           hint="upload the file again")
        return uid, path

    @page
    async def import_confirm(self, request: Request) -> Response:
        from ..log.importers import import_file
        from .columns import chosen, column_mapping

        form = await self.form(request)
        uid, path = self._upload(form)
        fmt = str(form.get("fmt") or "")
        try:
            fields = _import_fields(form)
        except ConfigError:
            raise ConfigError("the confirmation form is incomplete", hint="upload the file again") from None
        if fmt not in IMPORT_FORMATS:
            raise ConfigError("the confirmation form is incomplete", hint="upload the file again")
        original = _original(form)
        mapping = _import_options(**_opts(fields))
        choices = chosen(form)
        if choices:  # the columns the person chose: read as the generic reader reads them, as previewed
            if fmt != "csv":
                raise ConfigError("columns were chosen for a file read as an app's export", place="fmt",
                                  hint="choose the columns again on the import page")
            head = await run_in_threadpool(_head_or_none, path)
            if head is None:
                raise ConfigError("this file is not a table of columns", place="file", hint="upload the file again")
            mapping = {**(mapping or {}), "columns": column_mapping(choices, head.header)}

        def work() -> Any:
            with open_store() as s:
                return import_file(s, fields["athlete"], fmt, path, mapping=mapping, create_athlete=True,
                                   source_name=original)  # the person's file name in `peri import list`, not ours

        try:
            report = await run_in_threadpool(work)
        finally:
            path.unlink(missing_ok=True)
        report.file = original
        _name_upload(report, path, original)
        return self.render(request, "import_done.html", report=report, stale=_stale(report), athlete=fields["athlete"])

    # --- prompt -------------------------------------------------------------------------------------
    @page
    async def prompt(self, request: Request) -> Response:
        """`prompt_view` as `peri prompt show` calls it: the engineered prompt at any detail, the tuned model's
        short prompt (`--short`) or the few-shot prompt (`--fewshot`), for the week after the log or the week of
        a date (`--as-of`), asking for the plan as text or JSON (`--format`)."""
        from ..prompt_view import prompt_view
        from .forms import choice, scenario_details

        q = request.query_params
        athlete = _athlete(request)
        kind = choice(q, "kind", "kind", list(PROMPT_KINDS)) or "engineered"
        detail = _int(q, "detail", 3, 0, 4, "detail")
        scenario = _scenario(q.get("scenario"))
        budget = _int(q, "budget", 3000, 1, 1_000_000, "budget")
        model = q.get("model") or "embedded"
        output_format = choice(q, "output_format", "output_format", ["text", "json"]) or "text"
        as_of = _date(q.get("as_of"), "as_of")
        event_date, equipment = scenario_details(q)  # `peri prompt show --event-date --equipment`

        def work() -> Any:
            from ..guide.journeys import record_step

            with open_store() as s:
                try:
                    view = prompt_view(s, athlete, kind=kind, scenario=scenario, detail=detail, model=model,  # type: ignore[arg-type]
                                       budget=budget, event_date=event_date, equipment=equipment,
                                       output_format=output_format, as_of=as_of)  # type: ignore[arg-type]
                except ConfigError as e:
                    if e.place == "--as-of":  # the library names the CLI's flag: said as the page's field
                        raise ConfigError(e.message, place="as_of", hint=for_the_form(e.hint)) from None
                    raise
                if kind == "engineered":
                    record_step(s, athlete, "see-prompt")  # as `peri prompt show` does: journey evidence
                return view

        view = await run_in_threadpool(work)
        return self.render(request, "prompt.html", athlete=athlete, view=view, built=view.built, fs=view.fewshot,
                           kind=kind, kinds=PROMPT_KINDS, detail=detail, scenario=scenario.value, budget=budget,
                           model=model, warnings=view.warnings, output_format=output_format,
                           as_of=as_of.isoformat() if as_of else "",
                           event_date=event_date.isoformat() if event_date else "", equipment=", ".join(equipment or []))

    # --- plans --------------------------------------------------------------------------------------
    @page
    async def plans(self, request: Request) -> Response:
        from ..evaluate.experiment import prompt_history

        athlete = _athlete(request)

        def work() -> Any:
            from ..log.context import load_context
            from ..log.gaps import log_gaps

            with open_store() as s:  # what the log does not show, said before the person asks for a plan
                return prompt_history(s, athlete), model_choices(s), log_gaps(load_context(s, athlete), s.aliases())

        from .forms import MAX_ATTEMPTS, MODERATE_STRESS

        history, choices, gaps = await run_in_threadpool(work)
        return self.render(request, "plans.html", athlete=athlete, history=history, choices=choices, gaps=gaps,
                           max_attempts=MAX_ATTEMPTS, moderate_stress=MODERATE_STRESS)

    @page
    async def plan_generate(self, request: Request) -> Response:
        from ..evaluate.blind import parse_arm
        from ..generate import generate_plan

        from .forms import plan_options, scenario_details

        form = await self.form(request)
        athlete = _athlete(request, form)
        arm = parse_arm(str(form.get("other") or "").strip() or str(form.get("model") or "rules"))
        scenario = _scenario(form.get("scenario"))
        as_of = _date(form.get("as_of"), "week")
        event_date, equipment = scenario_details(form)  # `peri plan --event-date --equipment`
        options = plan_options(form)  # `peri plan --attempts --constrain/--no-constrain --moderate-stress`

        def job(h: Any) -> tuple[str | None, dict]:
            h.say(f"loading {arm.model} and building the prompt…", 0.1)
            with open_store() as s:
                g = generate_plan(s, athlete, arm.model, scenario=scenario, detail=arm.detail,
                                  prompt_style=arm.style, repair=True, as_of=as_of,  # type: ignore[arg-type]
                                  event_date=event_date, equipment=equipment, **options)
            h.say(f"generation {g.id}: {'valid plan' if g.valid else 'no usable plan: ' + str(g.error)}", 1.0)
            return f"/plans/{g.id}", {"generation": g.id}

        j = self.jobs.submit("plan", f"plan for {athlete} with {arm.label}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def plan_view(self, request: Request) -> Response:
        from ..generate import generation_plan

        try:
            gid = int(request.path_params["gid"])
        except ValueError:
            raise NotFound("no such generation") from None

        def work() -> Any:
            from ..log.shown_unit import store_unit

            with open_store() as s:
                g = s.get_generation(gid)
                names = {a.id: a.name for a in s.list_athletes()}
                name = names.get(g.athlete_id)
                return g, name, store_unit(s, name) if name else "kg"

        g, athlete, unit = await run_in_threadpool(work)
        plan = generation_plan(g) if g.valid else None
        repaired = generation_plan(g, repaired=True) if g.valid and g.repaired_plan else None
        return self.render(request, "plan.html", g=g, plan=plan, repaired=repaired, athlete=athlete, unit=unit)

    @page
    async def plan_rate(self, request: Request) -> Response:
        form = await self.form(request)
        gid = _int(form, "generation", 0, 1, 2**62, "generation")
        rating = _int(form, "rating", 0, 1, 5, "rating")
        comment = str(form.get("comment") or "").strip()[:2000] or None

        def work() -> None:
            with open_store() as s:
                s.rate(gid, rating, comment)  # exactly `peri rate`

        await run_in_threadpool(work)
        return RedirectResponse(f"/plans/{gid}", status_code=303)

    # --- check a plan someone was given --------------------------------------------------------------
    @page
    async def check(self, request: Request) -> Response:
        from .forms import MAX_PLAN_CHARS

        return self.render(request, "check.html", athlete=_athlete_or_none(request), given=None, text="",
                           scenario="", repair=False, max_chars=MAX_PLAN_CHARS)

    @page
    async def check_run(self, request: Request) -> Response:
        """A pasted plan checked as `peri check` checks a file (`check_given`): nothing is written."""
        from ..plans.freeform import describe
        from ..plans.given import check_given
        from .forms import MAX_PLAN_CHARS, check_form

        form = await self.form(request)
        args = check_form(form, SCENARIOS)

        def work() -> Any:
            with open_store() as s:
                return check_given(s, args["athlete"], args["text"], repair=args["repair"],
                                   scenario=Scenario(args["scenario"]) if args["scenario"] else None)

        page = {"athlete": args["athlete"], "text": args["text"], "scenario": args["scenario"] or "",
                "repair": args["repair"], "max_chars": MAX_PLAN_CHARS}
        try:
            given = await run_in_threadpool(work)
        except PlanParseError as e:  # no plan in the text: said above the person's text, kept to edit
            return self.render(request, "check.html", status=400, given=None, problem=e, **page)
        return self.render(request, "check.html", given=given, read_as=describe(given.reading), **page)

    # --- jobs ---------------------------------------------------------------------------------------
    @page
    async def job(self, request: Request) -> Response:
        j = self.jobs.get(request.path_params["jid"])
        if j is None:
            raise NotFound("no such job (finished long ago, or the server restarted)")
        return self.render(request, "job.html", job=j, athlete=request.query_params.get("athlete"),
                           cancellable=CANCELLABLE)

    @page
    async def job_cancel(self, request: Request) -> Response:
        await self.form(request)
        jid = request.path_params["jid"]
        j = self.jobs.get(jid)
        if j is None:
            raise NotFound("no such job (finished long ago, or the server restarted)")
        if j.finished:
            raise ConfigError(f"this job has already ended ({j.status}); nothing to cancel", place="job")
        if not self.jobs.cancel(jid):
            raise ConfigError("this job is run by another server; cancel it there", place="job")
        return RedirectResponse(f"/jobs/{jid}", status_code=303)

    # --- fine-tuning --------------------------------------------------------------------------------
    @page
    async def tune(self, request: Request) -> Response:
        from ..artefacts import load_build_info
        from .forms import text

        athlete = _athlete(request)

        def work() -> Any:
            with open_store() as s:
                s.get_athlete(athlete)
                models = [m for m in s.list_models() if m.kind == "finetuned-local"]
            return load_build_info(athlete), models

        build, models = await run_in_threadpool(work)
        running = self.jobs.running("dataset") + self.jobs.running("finetune")
        imported = text(request.query_params, "imported", "imported", limit=100)
        return self.render(request, "tune.html", athlete=athlete, build=build, models=models, running=running,
                           imported=imported, max_mb=self.settings.max_upload_bytes / 1_048_576,
                           cost_models=cost_models(), hosted={p: hosted_models(p, self._today()) for p in HOSTED_PROVIDERS},
                           providers=HOSTED_PROVIDERS, health_warning=_health_warning())

    @page
    async def dataset_start(self, request: Request) -> Response:
        """`peri dataset build` as a job: the same load_context → build_dataset → write_dataset."""
        from .forms import choice, number

        form = await self.form(request)
        athlete = _athlete(request, form)
        val = number(form, "val_fraction", "val_fraction", 0, 0.5)
        repair = choice(form, "repair", "repair", ["on", "off"]) != "off"
        cost_model = choice(form, "cost_model", "cost_model", cost_models()) or DEFAULT_COST_MODEL

        def check() -> None:
            with open_store() as s:
                s.get_athlete(athlete)  # an unknown athlete is refused here, not in the job

        await run_in_threadpool(check)
        self._one_at_a_time("dataset", athlete)

        def job(h: Any) -> tuple[str | None, dict]:
            from ..log.catalog import default_catalog
            from ..log.context import load_context
            from ..tune.dataset import build_dataset, write_dataset

            h.say("reading the log…", 0.02)
            with open_store() as s:
                ctx = load_context(s, athlete)
            for w in ctx.warnings:
                h.say(f"warning: {w}")

            def progress(done: int, total: int) -> None:
                h.check()
                h.say(f"week {done} of {total}", 0.05 + 0.9 * done / total if total else None)

            build = build_dataset(ctx, default_catalog(), val_fraction=0.15 if val is None else float(val),
                                  repair=repair, cost_model=cost_model, progress=progress)
            files = write_dataset(build)
            r = build.report
            h.say(f"{r.examples} examples ({r.train} train, {r.val} validation), {r.tokens.total:,} tokens", 1.0)
            return f"/tune?athlete={quote(athlete)}#dataset", {"examples": r.examples, "hash": files.dataset_hash}

        j = self.jobs.submit("dataset", f"dataset for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def finetune_start(self, request: Request) -> Response:
        """`peri finetune local` as a job: every check before it starts; progress per step; cancel between steps."""
        from ..tune.local import finetune_local, plan_local_finetune
        from .forms import finetune_form

        form = await self.form(request)
        athlete = _athlete(request, form)
        name, overrides, resume = finetune_form(form)

        def check() -> Any:
            with open_store() as s:
                s.get_athlete(athlete)
            return plan_local_finetune(athlete, name=name, overrides=overrides)

        plan = await run_in_threadpool(check)
        self._one_at_a_time("finetune", athlete)

        def job(h: Any) -> tuple[str | None, dict]:
            h.say(f"loading the base {plan.config.base}…", 0.0)

            def progress(p: Any) -> None:
                h.check()  # a cancel stops the run here; its last checkpoint lets "resume" continue
                frac = p.step / p.total_steps if p.total_steps else None
                if p.phase == "train":
                    h.say(f"step {p.step}/{p.total_steps} · epoch {p.epoch + 1} · loss {p.loss:.3f}", frac)
                elif p.phase == "validate" and p.val_loss is not None:
                    h.say(f"validation loss {p.val_loss:.3f}", frac)
                elif p.phase == "checkpoint":
                    h.say(f"checkpoint at step {p.step}", frac)

            done = finetune_local(open_store, plan, resume=resume, progress=progress)
            r = done.result
            h.say(f"done: {r.steps} steps, validation loss {_num(r.val_loss_before, '.3f')} → "
                  f"{_num(r.val_loss_after, '.3f')}", 1.0)
            if done.registered:
                h.say(f"registered ft:{done.registered}: choose it on the Plans page")
            else:
                h.say(f"not registered: the base {r.base_path} is not a GGUF, so llama.cpp cannot serve the adapter "
                      "(the PEFT adapter works with transformers or vLLM)")
            return f"/tune?athlete={quote(athlete)}#models", {"model": done.registered, "out_dir": r.out_dir}

        j = self.jobs.submit("finetune", f"fine-tune {plan.model_name} for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def adapter_import(self, request: Request) -> Response:
        """`import_adapter` (`peri finetune import`) on an uploaded ZIP of an adapter folder: the archive checked and
        unpacked into a temporary folder (`adapter_upload`), the adapter checked against this machine's base and
        copied under PERI_HOME/adapters/NAME; the temporary folder removed whatever happens."""
        from ..tune.import_adapter import import_adapter
        from .adapter_upload import unpack_adapter
        from .forms import choice, text

        form = await self.form(request)
        athlete = _athlete(request, form)
        name = text(form, "name", "name", limit=100, required=True)
        assert name is not None
        replace = choice(form, "replace", "replace", ["on"]) == "on"
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ConfigError("choose the adapter folder's .zip to upload", place="file")
        original = Path(upload.filename).name[:200]
        data = await upload.read()

        def work() -> None:
            with tempfile.TemporaryDirectory(prefix="peri-adapter-") as d:
                folder = unpack_adapter(data, original, Path(d))
                with open_store() as s:
                    try:
                        import_adapter(s, folder, name, replace=replace, origin=f"uploaded as {original}")
                    except PeriError as e:  # the library names the server's temporary copy: said as the upload
                        place = (e.place or "").replace(str(folder), original) or None
                        if place and place.startswith(str(peri_home())):  # the server's own folders: the name
                            place = "name"
                        raise type(e)(e.message.replace(str(folder), original), place=place,
                                      hint=_adapter_hint(e.hint)) from None

        await run_in_threadpool(work)
        return RedirectResponse(f"/tune?athlete={quote(athlete)}&imported={quote(name)}#models", status_code=303)

    @page
    async def dataset_check(self, request: Request) -> Response:
        """`check_file` (`peri dataset check FILE --provider P`) on an uploaded JSONL file: every problem with its
        line, or that it passes; the file is read from a temporary copy, removed at once, never named."""
        from ..tune.hosted import DEFAULT_MODELS
        from ..tune.validate import FORMATS, check_file
        from .forms import choice

        form = await self.form(request)
        athlete = _athlete(request, form)
        kind = choice(form, "provider", "provider", list(FORMATS)) or "openai"
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            raise ConfigError("choose the dataset file (.jsonl) to check", place="file")
        original = Path(upload.filename).name[:200]
        data = await upload.read()
        if not data:
            raise ConfigError(f"{original} is empty", place="file")

        def work() -> list[Any]:
            with tempfile.TemporaryDirectory(prefix="peri-check-") as d:
                path = Path(d) / "dataset.jsonl"
                path.write_bytes(data)
                try:
                    found = check_file(path, model=DEFAULT_MODELS.get(kind, "gpt-4o-mini"), fmt=kind)  # type: ignore[arg-type]
                except PeriError as e:
                    raise type(e)(e.message.replace(str(path), original), place="file",
                                  hint=for_the_form(e.hint)) from None
                for p in found:
                    p.message = p.message.replace(str(path), original)
                return found

        problems = await run_in_threadpool(work)
        return self.render(request, "dataset_check.html", athlete=athlete, original=original, kind=kind,
                           problems=problems)

    # --- the dataset taken elsewhere (`peri dataset export`) ---------------------------------------------------
    def _export_args(self, request: Request) -> tuple[str, str, bool]:
        from .forms import choice

        q = request.query_params
        athlete = _athlete(request)
        for key in ("format", "redact", "athlete"):
            if len(q.getlist(key)) > 1:
                raise ConfigError(f"the field {key!r} came more than once; nothing was exported", place=key)
        fmt = choice(q, "format", "format", list(EXPORT_FORMATS))
        if fmt is None:
            raise ConfigError("choose the format to export", place="format", hint=", ".join(EXPORT_FORMATS))
        redact = choice(q, "redact", "redact", ["on"]) == "on"
        return athlete, fmt, redact

    def _export(self, athlete: str, fmt: str, redact: bool, out: Path) -> Any:
        """`export_provider` / `export_hf` into `out`, as `peri dataset export` calls them; its warnings name the
        files by their names in the download, never the server's folder."""
        from ..artefacts import load_build_info
        from ..tune.dataset import dataset_dir
        from ..tune.export import export_hf, export_provider

        if load_build_info(athlete) is None:
            raise ConfigError(f"no dataset built yet for {athlete}; nothing to export", place="format",
                              hint="build the dataset first (the Fine-tune page's 'Build the dataset')")
        src = dataset_dir(athlete)
        if fmt == "hf":
            result = export_hf(src, out / "hf", redact=redact, athlete=athlete)
        else:
            result = export_provider(src, out, fmt, redact=redact, athlete=athlete)
        result.warnings = [for_the_form(w.replace(f"{out}/", "")) or "" for w in result.warnings]
        return result

    @page
    async def dataset_export(self, request: Request) -> Response:
        """What the export holds (examples per split, redacted or not) and its warnings, with the download."""
        athlete, fmt, redact = self._export_args(request)

        def work() -> Any:
            with tempfile.TemporaryDirectory(prefix="peri-dataset-") as d:
                result = self._export(athlete, fmt, redact, Path(d))
                files = sorted(str(p.relative_to(d)) for p in Path(d).rglob("*") if p.is_file())
                return result, files

        result, files = await run_in_threadpool(work)
        return self.render(request, "dataset_export.html", athlete=athlete, fmt=fmt, redact=redact, result=result,
                           files=files)

    @page
    async def dataset_export_download(self, request: Request) -> Response:
        """The export as a ZIP download (written to a temporary folder, zipped, removed)."""
        import zipfile

        athlete, fmt, redact = self._export_args(request)

        def work() -> bytes:
            with tempfile.TemporaryDirectory(prefix="peri-dataset-") as d:
                out = Path(d) / "export"
                self._export(athlete, fmt, redact, out)
                zipped = Path(d) / "export.zip"
                with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as z:
                    for p in sorted(out.rglob("*")):
                        if p.is_file():
                            z.write(p, p.relative_to(out).as_posix())
                return zipped.read_bytes()

        data = await run_in_threadpool(work)
        filename = (f"peri-{name_slug(athlete)}-dataset-{fmt}{'-redacted' if redact else ''}-"
                    f"{dt.date.today().isoformat()}.zip")
        return Response(data, media_type="application/zip",
                        headers={"Content-Disposition": f'attachment; filename="{filename}"'})

    # --- hosted fine-tuning (`peri finetune openai|together|fireworks`), only with consent for that provider ----
    def _today(self) -> dt.date:
        return self.settings.today() if self.settings.today else dt.date.today()

    @page
    async def hosted_start(self, request: Request) -> Response:
        """`start_job` as the CLI calls it, as a job: the day's availability, the consent for THIS provider (the
        box's value names it; a post whose consent names another provider, or none, is refused), the key and the
        dataset are checked before anything is sent; the job is started, not followed (its page checks it)."""
        from ..tune.dataset import dataset_dir
        from ..tune.hosted import DEFAULT_MODELS, check_available, get_tuner, start_job
        from .forms import choice, text

        form = await self.form(request)
        athlete = _athlete(request, form)
        provider = choice(form, "provider", "provider", list(HOSTED_PROVIDERS))
        if provider is None:
            raise ConfigError("choose the provider to train at", place="provider", hint=", ".join(HOSTED_PROVIDERS))
        who = HOSTED_PROVIDERS[provider]
        today = self._today()
        models = hosted_models(provider, today)
        if not models:  # the provider takes no jobs on the day: refused with the date and the providers that remain
            check_available(provider, DEFAULT_MODELS[provider], today)
            raise ConfigError(f"{who} tunes none of the price table's models on {today}", place="provider")
        model = choice(form, "model", "model", models) or models[0]
        name = text(form, "name", "name", limit=80)
        redact = choice(form, "redact", "redact", ["on"]) == "on"
        if str(form.get("consent") or "") != provider:
            raise ConfigError(f"nothing was sent: tick the box that agrees to send {athlete}'s training data to {who}",
                              place="consent", hint="the data stays on this machine until you agree")

        def check() -> list[str]:
            with open_store() as s:
                s.get_athlete(athlete)
            if not (dataset_dir(athlete) / "train.jsonl").exists():
                raise ConfigError(f"no dataset built yet for {athlete}; nothing was sent", place="dataset",
                                  hint="build the dataset first (the Fine-tune page's 'Build the dataset')")
            notes = check_available(provider, model, today)  # the dated price table: refused after a provider closes
            get_tuner(provider, consent=True, http_client=self.settings.http_client)  # the key, before any byte goes
            return notes

        notes = await run_in_threadpool(check)

        def job(h: Any) -> tuple[str | None, dict]:
            for n in notes:
                h.say(f"note: {n}")
            h.say(f"exporting {athlete}'s dataset{' (redacted)' if redact else ''} and uploading it to {who}…", 0.1)
            r = start_job(open_store, provider, athlete, model=model, name=name, redact=redact, consent=True,
                          follow=False, today=today, http_client=self.settings.http_client)
            if r.estimate:
                e = r.estimate
                h.say(f"estimate: {e.billable_tokens:,} tokens x {e.epochs} epochs = ${e.usd:.2f} ({e.price_date})")
            h.say(f"job {r.job.id} is {r.job.raw_status} at {who} (base {r.job.base_model})", 1.0)
            url = (f"/tune/hosted?athlete={quote(athlete)}&provider={provider}&job={quote(r.job.id, safe='')}"
                   + (f"&name={quote(name)}" if name else ""))
            return url, {"job": r.job.id, "provider": provider}

        j = self.jobs.submit("hosted", f"{who} fine-tune for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    def _hosted_job_args(self, form: Any) -> tuple[str, str, str | None]:
        from .forms import choice, text

        provider = choice(form, "provider", "provider", list(HOSTED_PROVIDERS))
        if provider is None:
            raise ConfigError("the provider is empty", place="provider", hint=", ".join(HOSTED_PROVIDERS))
        job_id = text(form, "job", "job", limit=200, required=True)
        assert job_id is not None
        # the providers' ids are letters, digits, - and _ (ftjob-abc123, ft-8b1c..., a Fireworks job's last segment);
        # nothing else reaches the provider's URL path
        if not all(c.isascii() and (c.isalnum() or c in "-_") for c in job_id):
            raise ConfigError(f"job {job_id[:40]!r} is not a job id", place="job", hint="e.g. ftjob-abc123")
        return provider, job_id, text(form, "name", "name", limit=80)

    @page
    async def hosted_job(self, request: Request) -> Response:
        """A hosted job's page: its id and provider, with buttons that ask the provider (nothing is sent before)."""
        athlete = _athlete(request)
        provider, job_id, name = self._hosted_job_args(request.query_params)
        return self.render(request, "hosted_job.html", athlete=athlete, provider=provider, who=HOSTED_PROVIDERS[provider],
                           job_id=job_id, reg_name=name, job=None, registered=None)

    @page
    async def hosted_status(self, request: Request) -> Response:
        """`job_status` (`peri finetune status`): the job now; a succeeded one registered as ft:NAME. `cancel`
        set: `cancel_job` (`peri finetune cancel`) instead."""
        from ..tune.hosted import cancel_job, job_status

        form = await self.form(request)
        athlete = _athlete(request, form)
        provider, job_id, name = self._hosted_job_args(form)
        cancel = form.get("cancel") == "on"

        def work() -> Any:
            if cancel:
                return cancel_job(provider, job_id, http_client=self.settings.http_client), None
            return job_status(open_store, provider, job_id, name=name, http_client=self.settings.http_client)

        job, registered = await run_in_threadpool(work)
        return self.render(request, "hosted_job.html", athlete=athlete, provider=provider, who=HOSTED_PROVIDERS[provider],
                           job_id=job_id, reg_name=name, job=job, registered=registered)

    def _one_at_a_time(self, kind: str, athlete: str) -> None:
        """One dataset build or training run at a time: a build rewrites the files a training run reads, two runs
        would write the same adapter folder, and each takes the whole CPU."""
        busy = self.jobs.running("dataset") + self.jobs.running("finetune")
        if busy:
            raise ConfigError(f"a {busy[0].kind} job is already running ({busy[0].title}); nothing new was started",
                              place=kind, hint=f"wait for it, or cancel it on its page: /jobs/{busy[0].id}")

    # --- blind comparison --------------------------------------------------------------------------
    @page
    async def blind(self, request: Request) -> Response:
        from ..evaluate.blind import list_comparisons

        athlete = _athlete(request)

        def work() -> Any:
            with open_store() as s:
                return model_choices(s)

        choices = await run_in_threadpool(work)
        return self.render(request, "blind.html", athlete=athlete, choices=choices,
                           past=list_comparisons(athlete)[:20])

    @page
    async def blind_start(self, request: Request) -> Response:
        from ..evaluate.blind import parse_arm, start_comparison

        form = await self.form(request)
        athlete = _athlete(request, form)
        arms = [parse_arm(str(v)) for v in form.getlist("arm")]
        as_of = _date(form.get("as_of"), "week")
        scenario = _scenario(form.get("scenario"))
        if len(arms) < 2:
            raise ConfigError("choose at least two approaches to compare")

        def job(h: Any) -> tuple[str | None, dict]:
            h.say(f"generating {len(arms)} plans for the same week (approaches hidden)…", 0.05)
            with open_store() as s:
                c = start_comparison(s, athlete, arms, as_of=as_of, scenario=scenario,
                                     progress=lambda i, n, arm: h.say(f"plan {i} of {n} ready", i / n))
            return f"/blind/{c.id}", {"comparison": c.id}

        j = self.jobs.submit("blind", f"blind comparison for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def blind_view(self, request: Request) -> Response:
        from ..evaluate.blind import load
        from ..generate import generation_plan

        c = load(request.path_params["cid"])

        def work() -> Any:
            from ..log.shown_unit import store_unit

            with open_store() as s:
                return {sl.letter: s.get_generation(sl.generation_id) for sl in c.slots}, store_unit(s, c.athlete)

        gens, unit = await run_in_threadpool(work)
        plans = {k: generation_plan(g) for k, g in gens.items()}
        return self.render(request, "blind_view.html", athlete=c.athlete, c=c, plans=plans, gens=gens, unit=unit)

    @page
    async def blind_rate(self, request: Request) -> Response:
        from ..evaluate.blind import load, rate_comparison

        form = await self.form(request)
        cid = request.path_params["cid"]
        c = load(cid)
        ratings: dict[str, int | None] = {}
        comments: dict[str, str | None] = {}
        for sl in c.slots:
            raw = str(form.get(f"rating_{sl.letter}") or "").strip()
            ratings[sl.letter] = _int(form, f"rating_{sl.letter}", 0, 1, 5, f"Plan {sl.letter}") if raw else None
            comments[sl.letter] = str(form.get(f"comment_{sl.letter}") or "")[:2000] or None
        better = str(form.get("better") or "").strip() or None

        def work() -> Any:
            with open_store() as s:
                return rate_comparison(s, cid, ratings, comments, better)

        await run_in_threadpool(work)
        return RedirectResponse(f"/blind/{cid}", status_code=303)

    # --- experiment and evaluation -------------------------------------------------------------------
    @page
    async def experiment(self, request: Request) -> Response:
        from ..evaluate.experiment import prompt_history
        from ..evaluate.harness import load_results

        athlete = _athlete(request)
        exp = request.query_params.get("experiment") or None

        def work() -> Any:
            with open_store() as s:
                history = prompt_history(s, athlete, exp)
            res = load_results(athlete)
            chart = charts.quality_svg(res) if res and res.summary else None
            from ..evaluate.learning import read_curve

            return history, res, chart, read_curve(athlete)

        history, res, chart, curve = await run_in_threadpool(work)
        return self.render(request, "experiment.html", athlete=athlete, history=history, experiment=exp, res=res,
                           chart=chart, curve=curve)

    @page
    async def experiment_start(self, request: Request) -> Response:
        from ..evaluate.experiment import parse_levels, run_prompt_experiment

        form = await self.form(request)
        athlete = _athlete(request, form)
        model = str(form.get("model") or "embedded").strip()
        levels = parse_levels(str(form.get("levels") or "0,1,2,3,4"))
        scenario = _scenario(form.get("scenario"))

        def job(h: Any) -> tuple[str | None, dict]:
            h.say(f"{len(levels)} detail levels on {model}", 0.02)
            with open_store() as s:
                r = run_prompt_experiment(s, athlete, model, scenario=scenario, levels=levels,
                                          progress=lambda i, n, row: h.say(
                                              f"detail {row.detail}: {'valid' if row.valid else 'invalid'}, "
                                              f"{row.prompt_tokens} prompt tokens", i / n))
            return f"/experiment?athlete={quote(athlete)}&experiment={r.experiment}", {"experiment": r.experiment}

        j = self.jobs.submit("experiment", f"prompt experiment for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def eval_start(self, request: Request) -> Response:
        from ..evaluate.harness import EvalConfig, run_eval

        form = await self.form(request)
        athlete = _athlete(request, form)
        weeks = _int(form, "weeks", 2, 1, 52, "weeks")
        approaches = [str(a) for a in form.getlist("approach")] or None

        def job(h: Any) -> tuple[str | None, dict]:
            with open_store() as s:
                run_eval(s, EvalConfig(athlete=athlete, weeks=weeks, approaches=approaches),
                         progress=lambda what, i, n: h.say(what, i / n if n else None))
            return f"/experiment?athlete={quote(athlete)}", {}

        j = self.jobs.submit("eval", f"evaluation of {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    @page
    async def curve_start(self, request: Request) -> Response:
        """`peri eval --learning-curve` as a cancellable job: one adapter tuned and evaluated per size (or the
        adapters named, `--curve-models`), the curve kept where `peri decide` reads it; one at a time with the
        other training jobs."""
        from ..evaluate.harness import EvalConfig
        from ..tune.dataset import dataset_dir
        from .forms import curve_form

        form = await self.form(request)
        athlete = _athlete(request, form)
        args = curve_form(form)
        if not args["models"] and not (dataset_dir(athlete) / "train.jsonl").exists():
            raise ConfigError(f"no dataset built yet for {athlete}: the curve trains on its examples", place="sizes",
                              hint="build the dataset first (the Fine-tune page's 'Build the dataset')")
        self._one_at_a_time("finetune", athlete)
        cfg = EvalConfig(athlete=athlete, weeks=args["weeks"])
        overrides = {"max_steps": args["train_steps"]} if args["train_steps"] else {}

        def job(h: Any) -> tuple[str | None, dict]:
            from ..evaluate import learning

            def say(message: str) -> None:
                h.check()  # a cancel stops the curve between its runs
                h.say(message)

            with open_store() as s:
                if args["models"]:
                    curve = learning.curve_from_models(s, cfg, args["models"], progress=say)
                    learning.write_curve(curve)  # kept for `peri decide --athlete`, as the CLI keeps it
                else:
                    curve = learning.learning_curve(s, cfg, sizes=args["sizes"], train_overrides=overrides,
                                                    progress=say)
            h.say(f"{len(curve.points)} points measured", 1.0)
            return f"/experiment?athlete={quote(athlete)}#curve", {"points": len(curve.points)}

        j = self.jobs.submit("finetune", f"learning curve for {athlete}", job)
        return RedirectResponse(f"/jobs/{j.id}", status_code=303)

    # --- decide ---------------------------------------------------------------------------------------
    @page
    async def decide(self, request: Request) -> Response:
        """`run_decision` on every input `peri decide` takes (`forms.decide_form`), each shown with the value it
        was decided on; a refused input shows the form again with what was sent, naming the field."""
        from ..decide.run import run_decision
        from ..errors import InvalidInput
        from .forms import decide_form

        posted = request.method == "POST"
        form = await self.form(request) if posted else request.query_params
        athlete = str(form.get("athlete") or "") or None
        models, tune_models = decide_models(self._today())
        sent = {k: str(form.get(k) or "") for k in DECIDE_FIELDS}
        try:
            values = decide_form(form, models, tune_models)
        except ConfigError as e:
            return self._decide_page(request, athlete, sent, models, tune_models, problem=e)
        values.setdefault("queries_per_week", 7.0)

        def work() -> Any:
            with open_store() as s:
                result = run_decision(values, athlete, s if athlete else None, today=self._today())
                if athlete and posted:
                    from ..guide.journeys import record_step

                    record_step(s, athlete, "decide")
            return result, charts.cost_svg(result["costs_model"])

        try:
            result, chart = await run_in_threadpool(work)
        except InvalidInput as e:  # the library names the CLI's flag: said as the form's field
            from ..decide.run import RANGES

            field = next((k for k, v in RANGES.items() if v[0] == e.place), e.place)
            return self._decide_page(request, athlete, sent, models, tune_models,
                                     problem=ConfigError(e.message, place=field, hint=e.hint))
        return self._decide_page(request, athlete, sent, models, tune_models, result=result, chart=chart)

    def _decide_page(self, request: Request, athlete: str | None, sent: dict[str, str], models: list[str],
                     tune_models: list[str], *, result: Any = None, chart: Any = None,
                     problem: PeriError | None = None) -> Response:
        from ..decide.cost import weeks_label

        ctx: dict[str, Any] = {"athlete": athlete, "models": models, "tune_models": tune_models, "problem": problem,
                               "flags": DECIDE_SITUATION}
        if result is None:  # refused: the form as the person sent it, no recommendation
            return self.render(request, "decide.html", status=400, r=None, shown=sent, **ctx)
        costs = result["costs_model"]
        inputs = costs.inputs
        situation = result["situation"]
        # every input with the value the decision used (the person's, the athlete's measured one, or the default)
        shown = {k: _input_text(getattr(inputs, k, None)) for k in DECIDE_FIELDS if hasattr(inputs, k)}
        shown["retrain_every_weeks"] = _input_text(inputs.retrain_every_weeks or 0)
        shown["tune_model"] = sent.get("tune_model", "")  # blank: chosen by the day's availability
        # the examples the decision counted (the athlete's training split) stay a placeholder: sent back as the
        # person's own number they would drop the measured tokens per example
        shown["dataset_examples"] = sent.get("dataset_examples", "")
        shown.update({k: "on" if situation.get(k) else "" for k, _ in DECIDE_SITUATION})
        shown["prior_usage"] = "on" if inputs.prior_usage else ""
        break_even = {k: weeks_label(v, inputs.horizon_weeks) for k, v in costs.break_even_week.items()}
        return self.render(request, "decide.html", r=result, costs=costs, rec=result["recommendation_model"],
                           chart=chart, break_even=break_even, shown=shown, **ctx)

    # --- Peri ---------------------------------------------------------------------------------------
    @page
    async def peri(self, request: Request) -> Response:
        athlete = _athlete_or_none(request)
        from ..guide.peri import MODEL_BY_DEFAULT, MODEL_MEASURED

        from .forms import MAX_QUESTION_CHARS

        chat = self.chats.get(request.state.session_id, [])
        return self.render(request, "peri.html", athlete=athlete, chat=chat, draft=chat[-1].rest if chat else "",
                           model_default=MODEL_BY_DEFAULT, model_measured=MODEL_MEASURED, max_chars=MAX_QUESTION_CHARS)

    @page
    async def peri_ask(self, request: Request) -> Response:
        from ..guide.peri import MODEL_BY_DEFAULT, Peri

        from .forms import question_form

        form = await self.form(request)
        asked = question_form(form)  # a long message is cut at a sentence end, and the page says so
        question = asked.text
        athlete = str(form.get("athlete") or "") or None
        # the page's box says (an unticked box sends nothing, hence the hidden field); a post without the box gets
        # Peri's default, MODEL_BY_DEFAULT, decided by bench/guide.py
        use_model = form.get("model") == "on" if form.get("model_box") else MODEL_BY_DEFAULT

        def work() -> Any:
            backend = None
            if use_model:
                from ..backends.registry import get_backend

                backend = get_backend("embedded")
            with open_store() as s:
                if athlete:
                    s.get_athlete(athlete)
                # the conversation's last answer, which a follow-up ("and with Together?") is read with
                return Peri(s, athlete, backend=backend).ask(question, after=chat[-1].answer if chat else None)

        chat = self.chats.setdefault(request.state.session_id, [])
        answer = await run_in_threadpool(work)
        chat.append(ChatTurn(answer=answer, left_out=asked.left_out, rest=asked.rest))
        del chat[:-20]
        return RedirectResponse(f"/peri?athlete={quote(athlete or '')}#latest", status_code=303)

    # --- journey ------------------------------------------------------------------------------------
    @page
    async def journey(self, request: Request) -> Response:
        from ..guide.journeys import JOURNEYS, journey_status, progress_summary

        athlete = _athlete(request)

        def work() -> Any:
            with open_store() as s:
                s.get_athlete(athlete)
                return [(j, journey_status(s, athlete, n)) for n, j in JOURNEYS.items()]

        rows = await run_in_threadpool(work)
        return self.render(request, "journey.html", athlete=athlete, rows=[
            (j, st, progress_summary(st), next((x for x in st if not x.done), None)) for j, st in rows],
            step_pages=STEP_PAGES)

    @page
    async def journey_done(self, request: Request) -> Response:
        from ..guide.journeys import mark_done

        form = await self.form(request)
        athlete = _athlete(request, form)
        journey, step = str(form.get("journey") or ""), str(form.get("step") or "")

        def work() -> None:
            with open_store() as s:
                mark_done(s, athlete, journey, step)

        await run_in_threadpool(work)
        return RedirectResponse(f"/journey?athlete={quote(athlete)}", status_code=303)


# The Decide page's inputs: `peri decide`'s flags by the names `run_decision` takes them
DECIDE_FIELDS = ("queries_per_week", "model", "tune_model", "prior_usage", "hour_value", "minutes_saved_per_query",
                 "retrain_every_weeks", "dataset_examples", "epochs", "horizon_weeks", "prompt_setup_hours",
                 "finetune_setup_hours", "fewshot_setup_hours", "retrain_hours", "exploring", "seasonal_focus",
                 "complex_methodology", "cost_sensitive", "needs_instant")
# the situation's yes/no inputs, said as the boxes say them (`peri decide --exploring` ...)
DECIDE_SITUATION = [("exploring", "still exploring what works for me"),
                    ("seasonal_focus", "my focus changes with the season"),
                    ("complex_methodology", "I follow a consistent non-standard method (conjugate, custom RPE waves)"),
                    ("cost_sensitive", "cost matters more than convenience"),
                    ("needs_instant", "I need answers in seconds (between sets)")]


def _input_text(v: Any) -> str:
    """An input's value as the form shows it: a whole number without ".0", a model name as is, None blank."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "on" if v else ""
    if isinstance(v, float):
        return f"{v:g}" if abs(v) < 1e6 else str(v)
    return str(v)


def decide_models(today: dt.date) -> tuple[list[str], list[str]]:
    """The models the Decide page offers: every priced model not retired on `today` and `local` (answering), and
    those with a training price (fine-tuning; blank lets the library choose by the day's availability)."""
    from ..decide.cost import LOCAL
    from ..prices import load_prices

    table = load_prices()
    usable = [k for k in table.usable(today) if table.models[k].provider != "example"]
    return [*usable, LOCAL], [k for k in usable if table.models[k].training is not None]


# `peri prompt show`'s three prompts (none, --short, --fewshot), as the Prompt page names them
PROMPT_KINDS = {"engineered": "engineered (detail 0-4)", "short": "short (a tuned model's)",
                "fewshot": "few-shot (your past weeks as examples)"}
ADD_FIELDS = ("name", "level", "days_per_week", "goal", "split", "equipment", "unit", "age", "body_mass_kg", "sex",
              "constraints")  # the Add an athlete form's fields, kept as sent when it is refused


def _profile_choices() -> dict[str, list[str]]:
    return {"levels": [x.value for x in Level], "goals": [x.value for x in Goal]}


EXPORT_FORMATS = ("openai", "together", "fireworks", "hf")  # `peri dataset export --format`
# The hosted tuners (`peri.tune.hosted.TUNERS`) by the name a person knows them by, said in the consent box
HOSTED_PROVIDERS = {"openai": "OpenAI", "together": "Together AI", "fireworks": "Fireworks AI"}


def hosted_models(provider: str, today: dt.date) -> list[str]:
    """The base models the dated price table says `provider` tunes on `today`; the provider's default first."""
    from ..prices import load_prices
    from ..tune.hosted import DEFAULT_MODELS

    table = load_prices()
    names = [k for k, m in table.models.items() if m.training is not None and m.provider == provider
             and table.tuning(k, today, prior_usage=True).available]
    return sorted(names, key=lambda n: n != DEFAULT_MODELS.get(provider))
SESSIONS_SHOWN = 100  # the newest sessions on the Sessions page; a day's field finds any other
MAX_SESSION_NAME_CHARS = 200  # a workout's name: the importers' bound, as an exercise name's
MAX_EXERCISE_NAME_CHARS = 200  # a logged exercise name: the importers' bound (log.importers.bounds)
MAX_EXERCISE_ID_CHARS = 100  # catalog ids are short words joined by underscores
MAX_SEARCH_CHARS = 100
SEARCH_HITS = 10  # catalog entries offered for one search on the Exercises page


def _logged_names(store: Store, athlete_id: int) -> set[str]:
    return {st.exercise for sess in store.sessions(athlete_id) for st in sess.sets}


class MappedName(BaseModel):
    """A name just mapped on the Exercises page, as the store now has it (not as the request said)."""

    name: str
    exercise_id: str | None
    exercise: str | None
    sets: int


def _mapped_now(store: Store, athlete_id: int, name: str, aliases: dict[str, str], catalog: Any) -> MappedName | None:
    """The alias the name now has and how many of the athlete's sets of it carry that id; None if never logged."""
    ex_id = aliases.get(name.strip().lower())
    sets = [st for sess in store.sessions(athlete_id) for st in sess.sets if st.exercise.strip() == name]
    if not sets:
        return None
    try:
        entry = catalog.get(ex_id) if ex_id else None
    except NotFound:  # an alias to an id a newer catalog dropped
        entry = None
    return MappedName(name=name, exercise_id=ex_id, exercise=entry.name if entry else None,
                      sets=sum(1 for st in sets if ex_id and st.exercise_id == ex_id))


NOTES_SHOWN = 200  # the newest imported notes listed on the Notes page (a real export can bring thousands)
CANCELLABLE = ("dataset", "finetune")  # jobs that look for a cancel between their steps
DEFAULT_COST_MODEL = "gpt-4o-mini"  # `peri dataset build --cost-model`'s default


def _health_warning() -> str:
    """The warning every hosted upload carries (`HEALTH_DATA_WARNING`), said for the form."""
    from ..tune.hosted import HEALTH_DATA_WARNING

    return for_the_form(HEALTH_DATA_WARNING) or ""


def cost_models() -> list[str]:
    """The hosted models the price table (a data file) has a training price for; the CLI's default first."""
    from ..prices import load_prices

    names = sorted(k for k, m in load_prices().models.items() if m.training is not None)
    return sorted(names, key=lambda n: n != DEFAULT_COST_MODEL)

# Where each journey step is done in the web app (the button of the next step goes there).
STEP_PAGES = {
    "log": "/import", "see-prompt": "/prompt", "experiment": "/experiment", "rate": "/blind", "history": "/experiment",
    "decide": "/decide", "annotate": "/athletes/{athlete}/notes", "dataset": "/tune", "tune": "/tune",
    "evaluate": "/experiment", "hybrid-plan": "/plans",
}


def _athlete_or_none(request: Request) -> str | None:
    return request.query_params.get("athlete") or None


def create_app(settings: WebSettings | None = None) -> Any:
    """The ASGI app: routes, static files, then the guard (token, session) and the body limit around them."""
    settings = settings or WebSettings()
    r = Routes(settings)
    routes = [
        Route("/", r.home),
        Route("/athletes", r.athletes),
        Route("/athletes/add", r.athlete_add, methods=["POST"]),
        Route("/athletes/{name}", r.athlete),
        Route("/athletes/{name}/profile", r.profile_set, methods=["POST"]),
        Route("/athletes/{name}/notes", r.notes),
        Route("/athletes/{name}/notes/add", r.note_add, methods=["POST"]),
        Route("/athletes/{name}/notes/delete", r.note_delete, methods=["POST"]),
        Route("/athletes/{name}/data", r.your_data),
        Route("/athletes/{name}/data/export", r.your_data_export),
        Route("/athletes/{name}/data/delete", r.your_data_delete, methods=["POST"]),
        Route("/athletes/{name}/exercises", r.exercises),
        Route("/athletes/{name}/exercises/map", r.exercise_map, methods=["POST"]),
        Route("/athletes/{name}/exercises/accept", r.exercises_accept, methods=["POST"]),
        Route("/athletes/{name}/sessions", r.sessions),
        Route("/athletes/{name}/sessions/delete", r.session_delete_confirm, methods=["GET"]),
        Route("/athletes/{name}/sessions/delete", r.session_delete, methods=["POST"]),
        Route("/athletes/{name}/imports", r.imports),
        Route("/athletes/{name}/imports/undo", r.import_undo_confirm, methods=["GET"]),
        Route("/athletes/{name}/imports/undo", r.import_undo, methods=["POST"]),
        Route("/athletes/{name}/imports/reunit", r.import_reunit_confirm, methods=["GET"]),
        Route("/athletes/{name}/imports/reunit", r.import_reunit, methods=["POST"]),
        Route("/athletes/{name}/reunit", r.log_reunit_confirm, methods=["GET"]),
        Route("/athletes/{name}/reunit", r.log_reunit, methods=["POST"]),
        Route("/import", r.import_form),
        Route("/import/preview", r.import_preview, methods=["POST"]),
        Route("/import/columns", r.import_columns, methods=["POST"]),
        Route("/import/mapped", r.import_mapped, methods=["POST"]),
        Route("/import/confirm", r.import_confirm, methods=["POST"]),
        Route("/prompt", r.prompt),
        Route("/plans", r.plans),
        Route("/plans/generate", r.plan_generate, methods=["POST"]),
        Route("/plans/rate", r.plan_rate, methods=["POST"]),
        Route("/plans/{gid}", r.plan_view),
        Route("/check", r.check, methods=["GET"]),
        Route("/check", r.check_run, methods=["POST"]),
        Route("/jobs/{jid}", r.job),
        Route("/jobs/{jid}/cancel", r.job_cancel, methods=["POST"]),
        Route("/tune", r.tune),
        Route("/tune/dataset", r.dataset_start, methods=["POST"]),
        Route("/tune/local", r.finetune_start, methods=["POST"]),
        Route("/tune/import", r.adapter_import, methods=["POST"]),
        Route("/tune/check", r.dataset_check, methods=["POST"]),
        Route("/tune/hosted", r.hosted_start, methods=["POST"]),
        Route("/tune/hosted", r.hosted_job, methods=["GET"]),
        Route("/tune/hosted/status", r.hosted_status, methods=["POST"]),
        Route("/tune/export", r.dataset_export),
        Route("/tune/export/download", r.dataset_export_download),
        Route("/blind", r.blind),
        Route("/blind/start", r.blind_start, methods=["POST"]),
        Route("/blind/{cid}", r.blind_view),
        Route("/blind/{cid}/rate", r.blind_rate, methods=["POST"]),
        Route("/experiment", r.experiment),
        Route("/experiment/start", r.experiment_start, methods=["POST"]),
        Route("/eval/start", r.eval_start, methods=["POST"]),
        Route("/eval/curve", r.curve_start, methods=["POST"]),
        Route("/decide", r.decide, methods=["GET", "POST"]),
        Route("/peri", r.peri),
        Route("/peri/ask", r.peri_ask, methods=["POST"]),
        Route("/journey", r.journey),
        Route("/journey/done", r.journey_done, methods=["POST"]),
        Mount("/static", StaticFiles(directory=str(HERE / "static")), name="static"),
    ]
    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        text = "no such page" if status == 404 else f"this page does not take that request ({status})"
        return r.error(request, text, "use the links at the top", status=status)

    app = Starlette(routes=routes, debug=False, exception_handlers={404: not_found, 405: not_found})
    outer = BodyLimit(Guard(app, settings), settings.max_upload_bytes)
    outer.pages = r  # type: ignore[attr-defined]  # tests reach the job runner through it
    return outer

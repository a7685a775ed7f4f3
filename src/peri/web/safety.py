"""What keeps `peri serve` safe by default: where it may bind, who may use it, which POSTs are genuine.

- Bind: loopback (127.0.0.0/8, ::1, localhost) needs nothing; any other address needs an access token of at
  least `MIN_TOKEN_CHARS` characters, else `check_bind` refuses with a ConfigError saying why.
- Access: with a token, every request must carry it (the `peri_token` cookie, set once from `?token=` on the
  link `peri serve` prints, or an `Authorization: Bearer` header), compared in constant time.
- CSRF: every session gets a random id in an HttpOnly, SameSite=Strict cookie; each form carries
  HMAC(secret, session id); a POST without the matching token, or sent cross-site (Origin of another host,
  `Sec-Fetch-Site: cross-site`), is refused before anything is read or written.
- Uploads: a request body over `max_upload_bytes` is refused (by Content-Length, and counted while read).
"""
from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from urllib.parse import urlsplit

from ..errors import ConfigError, PeriError

MIN_TOKEN_CHARS = 16
SESSION_COOKIE = "peri_session"
TOKEN_COOKIE = "peri_token"
DEFAULT_MAX_UPLOAD_BYTES = 32 * 1024 * 1024  # a decade of a daily lifter's Strong export is ~5 MB


class Refused(PeriError):
    """A request the app will not serve (forged, unauthorised, too large); `status` is the HTTP code."""

    def __init__(self, message: str, *, status: int = 403, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.status = status


def is_loopback(host: str) -> bool:
    """Whether binding to `host` keeps the app on this machine only."""
    h = host.strip().strip("[]").lower()
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False  # a host name other than localhost may resolve anywhere


def check_bind(host: str, token: str | None) -> None:
    """Refuse a non-loopback bind without a long enough access token (nothing is started)."""
    if is_loopback(host):
        return
    if not token:
        raise ConfigError(
            f"refusing to listen on {host}: that exposes your training log to the network, and no access token was given",
            place="--host",
            hint=f"keep the default 127.0.0.1, or pass --token with a secret of {MIN_TOKEN_CHARS}+ characters "
                 "(or set PERI_WEB_TOKEN)")
    if len(token) < MIN_TOKEN_CHARS:
        raise ConfigError(f"the access token is {len(token)} characters; a network bind needs at least {MIN_TOKEN_CHARS}",
                          place="--token", hint="e.g. python -c 'import secrets; print(secrets.token_urlsafe(24))'")


def new_session_id() -> str:
    return secrets.token_urlsafe(32)


def csrf_token(secret: bytes, session_id: str) -> str:
    """The form token of one session: an HMAC of its id, so it cannot be made without the server's secret."""
    return hmac.new(secret, session_id.encode(), hashlib.sha256).hexdigest()


def check_origin(*, origin: str | None, referer: str | None, fetch_site: str | None, host: str | None) -> None:
    """Raise Refused when the browser says this POST comes from another site (checked before the body is read)."""
    if fetch_site and fetch_site.lower() == "cross-site":
        raise Refused("refused: this form was sent from another site (cross-site request); nothing was changed",
                      hint="use the form on peri's own page")
    if origin == "null":
        raise Refused("refused: this form was sent from an opaque origin; nothing was changed",
                      hint="use the form on peri's own page")
    for header in (origin, referer):
        if header and host:
            sender = urlsplit(header).netloc.lower()
            if sender != host.lower():
                raise Refused(f"refused: this form was sent from {sender or header!r}, not from peri's own page; "
                              "nothing was changed", hint="use the form on peri's own page")
            break


def check_csrf(secret: bytes, session_id: str | None, sent: str | None) -> None:
    """Raise Refused unless the form carries this session's token."""
    if not session_id or not sent or not hmac.compare_digest(csrf_token(secret, session_id), sent):
        raise Refused("refused: the form's security token is missing or does not match this session; nothing was changed",
                      hint="reload the page and submit the form again")


def check_access(token: str | None, cookie: str | None, header: str | None, query: str | None) -> bool:
    """True when no token is configured or the request carries it (cookie, Bearer header or ?token=)."""
    if not token:
        return True
    bearer = header[7:] if header and header.lower().startswith("bearer ") else None
    return any(v is not None and hmac.compare_digest(v.encode(), token.encode()) for v in (cookie, bearer, query))

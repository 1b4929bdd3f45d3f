"""A database URL: parsed into libpq keywords, with its password kept out of every text we print.

The URL is never handed to libpq as a string: libpq echoes parts of a malformed URL in its error
messages, and those parts can be the password. We parse it ourselves and pass keywords instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, quote, quote_plus, unquote, urlsplit

from connect_gate.errors import InputError

MASK = "***"
SCHEMES = ("postgres", "postgresql")
LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1"})
WEAK_SSLMODES = frozenset({"disable", "allow", "prefer"})
# libpq's connection parameters (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS)
# that a URL may carry, with the values libpq accepts where they are a fixed set or a number.
_CHOICES = {
    "sslmode": ("disable", "allow", "prefer", "require", "verify-ca", "verify-full"),
    "gssencmode": ("disable", "prefer", "require"),
    "channel_binding": ("disable", "prefer", "require"),
    "sslnegotiation": ("postgres", "direct"),
    "sslcertmode": ("disable", "allow", "require"),
    "target_session_attrs": ("any", "read-write", "read-only", "primary", "standby", "prefer-standby"),
    "load_balance_hosts": ("disable", "random"),
}
_NUMBERS = frozenset(
    {
        "port",
        "connect_timeout",
        "keepalives",
        "keepalives_idle",
        "keepalives_interval",
        "keepalives_count",
        "tcp_user_timeout",
    }
)
_OTHERS = frozenset(
    {
        "host", "hostaddr", "dbname", "user", "password", "passfile", "options", "application_name",
        "fallback_application_name", "client_encoding", "sslcompression", "sslcert", "sslkey", "sslpassword",
        "sslrootcert", "sslcrl", "sslcrldir", "sslsni", "requirepeer", "ssl_min_protocol_version",
        "ssl_max_protocol_version", "krbsrvname", "gsslib", "gssdelegation", "service", "require_auth",
    }
)  # fmt: skip
KNOWN_PARAMETERS = frozenset(_CHOICES) | _NUMBERS | _OTHERS

_USERINFO_PASSWORD = re.compile(r"(://[^:/?#@]*:).*@")
_QUERY_PASSWORD = re.compile(r"(password=)[^&\s]*", re.IGNORECASE)


def redact(url: str) -> str:
    """The URL with its password replaced by `***`, also for URLs we could not parse."""
    return _QUERY_PASSWORD.sub(rf"\g<1>{MASK}", _USERINFO_PASSWORD.sub(rf"\g<1>{MASK}@", url))


@dataclass(frozen=True, slots=True)
class DatabaseUrl:
    """What we connect to. `repr` and `str` never show the password."""

    redacted: str
    host: str
    port: int | None
    user: str
    dbname: str
    password: str = field(default="", repr=False)
    params: tuple[tuple[str, str], ...] = ()  # the URL's query, e.g. sslmode=require

    def __str__(self) -> str:
        return self.redacted

    @property
    def is_local(self) -> bool:
        """A loopback address or a unix socket directory: no TLS needed to stay private.

        libpq connects to `hostaddr` when given (`host` then only names the server for TLS), and
        tries every host of a comma-separated list: all of them must be local."""
        addresses = dict(self.params).get("hostaddr") or self.host
        return all(part in LOCAL_HOSTS or part.startswith("/") for part in addresses.split(","))

    @property
    def sslmode(self) -> str:
        return dict(self.params).get("sslmode", "")

    def keywords(self) -> dict[str, str]:
        """libpq connection keywords (password included: only for psycopg2.connect)."""
        words = dict(self.params)
        for key, value in (
            ("host", self.host),
            ("user", self.user),
            ("dbname", self.dbname),
            ("password", self.password),
        ):
            if value:
                words[key] = value
        if self.port is not None:
            words["port"] = str(self.port)
        return words

    def scrub(self, text: str) -> str:
        """`text` (e.g. a libpq error) with every spelling of the password masked."""
        text = redact(text)
        if self.password:
            for spelling in {self.password, quote(self.password, safe=""), quote_plus(self.password)}:
                text = text.replace(spelling, MASK)
        return text


def url_secrets(url: str) -> list[str]:
    """What to mask in a log for this URL: the URL itself and its passwords (in the user part or as
    `?password=`), in each spelling.

    Only the password is a secret: the user name, host and database name are not masked. A password
    spelled like one of them (`postgres://postgres:postgres@postgres/db`, a CI service container's)
    is not masked either: masking it would turn every `postgres` of the job's log into `***`, and
    it hides nothing the URL does not already show.
    """
    try:
        parts = urlsplit(url.strip())
        passwords = [parts.password or ""]
        passwords += [
            value for key, value in parse_qsl(parts.query, keep_blank_values=True) if key == "password"
        ]
        public = {parts.scheme, unquote(parts.username or ""), parts.hostname or "", unquote(parts.path[1:])}
    except ValueError:
        passwords, public = [], set()
    spellings = dict.fromkeys(
        spelling
        for password in passwords
        for spelling in (
            password,
            unquote(password),
            quote(unquote(password), safe=""),
            quote_plus(unquote(password)),
        )
    )
    return [url, *(p for p in spellings if p and p not in public)]


def parse_url(url: str, what: str = "database-url") -> DatabaseUrl:
    """Parse `postgres://user:password@host:port/dbname?sslmode=require`.

    Errors name the input and show the URL redacted, never the value as given.
    """
    shown = redact(url.strip())
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise InputError(f"{what}: {shown} is not a valid URL (check the port)") from None
    if parts.scheme not in SCHEMES:
        raise InputError(f"{what}: expected postgres://user:password@host:port/dbname, got {shown}")
    params = tuple(parse_qsl(parts.query, keep_blank_values=True))
    _check_parameters(params, shown, what)
    query = dict(params)
    if "\x00" in unquote(url) or any("\x00" in value for _, value in params):
        raise InputError(
            f"{what}: {shown} holds a NUL character (%00), which no PostgreSQL name or password can"
        )
    return DatabaseUrl(
        redacted=shown,
        host=query.pop("host", "") or unquote(parts.hostname or ""),
        port=port,
        user=query.pop("user", "") or unquote(parts.username or ""),
        dbname=query.pop("dbname", "") or unquote(parts.path.lstrip("/")),
        password=query.pop("password", "") or unquote(parts.password or ""),
        params=tuple(query.items()),
    )


def _check_parameters(params: tuple[tuple[str, str], ...], shown: str, what: str) -> None:
    """Unknown parameters and impossible values are the user's mistake (exit 2), not a database that
    cannot be reached: libpq would refuse them only when connecting, and say so in its own words."""
    for key, value in params:
        if key not in KNOWN_PARAMETERS:
            raise InputError(f"{what}: {shown} has the unknown connection parameter {key!r}")
        if key in _CHOICES and value not in _CHOICES[key]:
            raise InputError(f"{what}: {key}={value!r} is not one of {', '.join(_CHOICES[key])}")
        if key in _NUMBERS and not (value.isascii() and value.isdigit() and len(value) <= 9):
            raise InputError(f"{what}: {key}={value!r} is not a whole number of 0 or more")


def with_tls(url: DatabaseUrl, require_tls: bool, what: str = "database-url") -> DatabaseUrl:
    """Ask for TLS (`sslmode=require`) on a non-local host, unless the user opted out.

    A URL that explicitly asks for less on a remote host is refused rather than silently upgraded,
    so that the user learns which of the two settings wins.
    """
    if not require_tls or url.is_local:
        return url
    if url.sslmode in WEAK_SSLMODES:
        raise InputError(
            f"{what}: {url} asks for sslmode={url.sslmode} on the non-local host {url.host}; "
            "remove it, or turn database-tls off to connect without TLS"
        )
    if url.sslmode:
        return url
    params = (*url.params, ("sslmode", "require"))
    return DatabaseUrl(url.redacted, url.host, url.port, url.user, url.dbname, url.password, params)

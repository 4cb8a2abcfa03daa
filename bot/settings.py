"""Runtime configuration: one ``Settings`` object read from the environment and ``.env``.

Every field is documented in ``.env.example``. The token is a ``SecretStr`` so it never reaches a log line or
a ``repr``.
"""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain.comments import DEFAULT_STOP_PHRASES, CommentPolicy
from domain.deals import AT_RISK_DAYS

_TOKEN_RE = re.compile(r"^\d{3,20}:[A-Za-z0-9_-]{30,64}$")
_SECRET_RE = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
_QUIET_RE = re.compile(r"^\s*(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})\s*$")

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/crm.sqlite3"
#: An address without a driver gets the asynchronous one the bot runs on; other drivers are refused.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgresql": "postgresql+asyncpg",
    "postgres": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
_LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


class ConfigError(Exception):
    """A configuration problem that is reported as one line, without a traceback."""


def _split_csv(value: object) -> object:
    if isinstance(value, str):
        return [part.strip() for part in value.replace(";", ",").split(",") if part.strip()]
    if isinstance(value, int):
        return [value]
    return value


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    # Connection pool: an update holds at most one connection, so these bound concurrency, never deadlock it.
    db_pool_size: int = Field(default=10, ge=1, le=200)
    db_max_overflow: int = Field(default=10, ge=0, le=200)
    db_pool_timeout: float = Field(default=30.0, gt=0, le=600)
    telegram_api_url: str | None = None
    admin_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    default_timezone: str = "Europe/Moscow"
    default_language: str = "ru"
    default_phone_region: str = "RU"
    company_email_domains: Annotated[list[str], NoDecode] = Field(default_factory=list)
    inactivity_period: int = Field(default=2, ge=1, le=24, description="R2h period in calendar months")
    remind_before_days: Annotated[list[int], NoDecode] = Field(default_factory=lambda: [7, 3, 1])
    at_risk_days: int = Field(
        default=AT_RISK_DAYS, ge=1, le=60, description="R2h: days before the deadline a deal is at risk"
    )
    stale_lead_days: int = Field(
        default=7, ge=1, le=365, description="Discipline report: an open lead this old with no interaction"
    )
    import_max_mb: int = Field(default=20, ge=1, le=20, description="Import: the largest file, MB")
    import_max_rows: int = Field(default=100_000, ge=1, le=1_000_000, description="Import: the most rows")
    quiet_hours: str = "20:00-09:00"
    redis_url: str | None = None
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    # Loopback by default: a reverse proxy terminates TLS in front of it; 0.0.0.0 is an explicit choice.
    webhook_listen: str = "127.0.0.1:8080"
    log_level: str = "INFO"
    log_format: str = Field(default="text", pattern="^(text|json)$")
    # /healthz and /metrics on a server of their own (host:port); unset: only on the webhook's app.
    health_listen: str | None = None
    invite_ttl_days: int = Field(default=7, ge=1, le=90)
    invite_max_failures: int = Field(default=5, ge=1)
    invite_failure_window_minutes: int = Field(default=15, ge=1)
    comment_stop_phrases: Annotated[list[str], NoDecode] = Field(default_factory=list)
    comment_min_words: int = Field(default=3, ge=1, le=20)
    team_lead_alerts: str = Field(default="digest", pattern="^(digest|immediate)$")
    digest_time: str = Field(default="09:00", pattern=r"^\d{1,2}:\d{2}$")
    sweep_interval_minutes: int = Field(default=5, ge=1, le=1440)
    outbox_interval_seconds: float = Field(default=2.0, gt=0, le=600)
    # The sender's journal of confirmed sends ("" = next to the SQLite file, or data/outbox.journal; "off").
    outbox_journal: str = ""
    send_rate_global: float = Field(default=25.0, gt=0, le=30)
    send_rate_per_chat: float = Field(default=1.0, gt=0, le=1)
    send_max_attempts: int = Field(default=5, ge=1, le=50)
    shutdown_timeout: float = Field(default=5.0, gt=0, le=60)
    # Updates handled at once (long polling; in webhook mode, Telegram's max_connections); the rest wait in
    # order of arrival (issue 9, findings 1 and 4).
    polling_concurrency: int = Field(default=32, ge=1, le=100)
    # Several instances: the leader's lease (renewed every third of it); a dead leader is replaced within it.
    leader_lease_seconds: float = Field(default=30.0, ge=1, le=600)

    @field_validator(
        "admin_ids", "company_email_domains", "remind_before_days", "comment_stop_phrases", mode="before"
    )
    @classmethod
    def _csv(cls, value: object) -> object:
        return _split_csv(value)

    @field_validator("company_email_domains")
    @classmethod
    def _domains(cls, value: list[str]) -> list[str]:
        return [d.lower().lstrip("@") for d in value]

    @field_validator("remind_before_days")
    @classmethod
    def _remind(cls, value: list[int]) -> list[int]:
        if any(d < 1 for d in value):
            raise ValueError("must be positive numbers of days")
        return sorted(set(value), reverse=True)

    @field_validator("bot_token", mode="before")
    @classmethod
    def _token(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not _TOKEN_RE.match(value):
                raise ValueError("malformed")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError("unknown time zone") from exc
        return value

    @field_validator("default_language")
    @classmethod
    def _lang(cls, value: str) -> str:
        if value not in ("ru", "en"):
            raise ValueError("must be ru or en")
        return value

    @field_validator("quiet_hours")
    @classmethod
    def _quiet(cls, value: str) -> str:
        if value.strip() and not _QUIET_RE.match(value):
            raise ValueError("must look like 20:00-09:00")
        return value

    @field_validator("telegram_api_url", "redis_url", "webhook_url", "health_listen", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        """``sqlite:///…`` and ``postgresql://…`` get the async driver; MySQL and others are refused."""
        scheme, sep, rest = value.strip().partition("://")
        driver = _ASYNC_DRIVERS.get(scheme.lower())
        if not sep or driver is None:
            raise ValueError("must be an SQLite or PostgreSQL address")
        return f"{driver}://{rest}"

    @field_validator("webhook_url")
    @classmethod
    def _webhook_url(cls, value: str | None) -> str | None:
        """Telegram delivers webhooks over HTTPS only; a local Bot API server (``TELEGRAM_API_URL``) may post
        to plain HTTP, which :meth:`_webhook_over_https` allows only with one."""
        if value is not None and not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an https:// address")
        return value.strip() if value is not None else None

    @field_validator("default_phone_region")
    @classmethod
    def _phone_region(cls, value: str) -> str:
        """R4a: phones typed without a country code are read in this region."""
        import phonenumbers

        if value.strip().upper() not in phonenumbers.SUPPORTED_REGIONS:
            raise ValueError("must be a country code")
        return value.strip().upper()

    @field_validator("telegram_api_url")
    @classmethod
    def _api_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^https?://[^/\s]+", value.strip()):
            raise ValueError("must be an http:// or https:// address")
        return value.strip() if value is not None else None

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str | None) -> str | None:
        if value is not None and not re.match(r"^(rediss?|unix)://", value.strip()):
            raise ValueError("must be a redis:// address")
        return value.strip() if value is not None else None

    @field_validator("log_level")
    @classmethod
    def _log_level(cls, value: str) -> str:
        if value.strip().upper() not in _LOG_LEVELS:
            raise ValueError("must be a logging level")
        return value.strip().upper()

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _webhook_secret(cls, value: object) -> object:
        """Telegram accepts 1-256 characters of ``A-Z a-z 0-9 _ -`` as a webhook secret token."""
        if isinstance(value, str):
            value = value.strip()
            if not value:
                return None
            if not _SECRET_RE.match(value):
                raise ValueError("must be 1-256 characters: letters A-Z a-z, digits, _ and -")
        return value

    @field_validator("webhook_listen", "health_listen")
    @classmethod
    def _listen(cls, value: str | None) -> str | None:
        if value is None:
            return None
        host, _, port = value.strip().rpartition(":")
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise ValueError("must be host:port, e.g. 127.0.0.1:8080")
        return value.strip()

    @model_validator(mode="after")
    def _webhook_over_https(self) -> Settings:
        if self.webhook_url and self.webhook_url.startswith("http://") and not self.telegram_api_url:
            raise ValueError(
                "WEBHOOK_URL must be the bot's public https:// address (plain http:// only with a local "
                "Bot API server in TELEGRAM_API_URL), e.g. WEBHOOK_URL=https://crm.example.com "
                f'(got "{self.webhook_url[:60]}")'
            )
        return self

    @model_validator(mode="after")
    def _webhook_needs_secret(self) -> Settings:
        """Issue 9, finding 3: without a secret, anyone who finds the endpoint posts updates as any user."""
        if self.webhook_url and self.webhook_secret is None:
            raise ValueError(
                "WEBHOOK_URL is set without WEBHOOK_SECRET: set a random secret (1-256 of A-Z a-z 0-9 _ -) "
                "so that forged requests are refused, e.g. WEBHOOK_SECRET=Xq7vR2mLk9PzT4wN"
            )
        return self

    @property
    def quiet_window(self) -> tuple[time, time] | None:
        match = _QUIET_RE.match(self.quiet_hours)
        if not match:
            return None
        h1, m1, h2, m2 = (int(g) for g in match.groups())
        return time(h1, m1), time(h2, m2)

    @property
    def comment_policy(self) -> CommentPolicy:
        """R3c: the stop phrases and the threshold come from configuration, added to the built-in defaults."""
        extra = {phrase.strip().lower() for phrase in self.comment_stop_phrases if phrase.strip()}
        phrases = DEFAULT_STOP_PHRASES | extra if extra else None
        return CommentPolicy.from_config(phrases, self.comment_min_words)

    @property
    def pool_options(self) -> dict[str, Any]:
        """Keyword arguments of ``db.engine.create_engine`` that size the pool."""
        return {
            "pool_size": self.db_pool_size,
            "max_overflow": self.db_max_overflow,
            "pool_timeout": self.db_pool_timeout,
        }

    @property
    def default_zone(self) -> ZoneInfo:
        return ZoneInfo(self.default_timezone)

    def require_token(self) -> str:
        """The token for commands that talk to Telegram; a missing one is a one-line ``ConfigError``."""
        if self.bot_token is None:
            raise ConfigError(
                "BOT_TOKEN is missing: set the token from @BotFather in the environment or in .env, "
                "e.g. BOT_TOKEN=123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"
            )
        return self.bot_token.get_secret_value()


def load_settings(**overrides: object) -> Settings:
    """Read settings; each invalid variable becomes one line of the ``ConfigError``, naming the variable
    and giving an example (``bot.config_errors``)."""
    from pydantic import ValidationError

    from bot.config_errors import config_lines

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        raise ConfigError("\n".join(config_lines(exc.errors(), Settings.model_fields))) from None

"""The one place environment variables are read.

Every path the pipeline touches is derived from one root, the data home (`CTM_HOME`, default
`var/` in the repository), so a test, the demo and a deployment differ only in that setting.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from pipeline.disclosure_policy import round_to_base  # the one rounding rule, also used to publish
from pipeline.sources import SOURCE_NAMES, SOURCES_BY_NAME

REPO_ROOT = Path(__file__).resolve().parents[1]
# The ONS reference lists every reader checks codes against (data/geography/SOURCES.md).
GEOGRAPHY_DIR = REPO_ROOT / "data" / "geography"

# A source's name, as the registry (pipeline/sources.py) lists them; a type checker sees a str.
Source = Literal[SOURCE_NAMES]  # type: ignore[valid-type]
LANDING_SOURCES: tuple[Source, ...] = SOURCE_NAMES
# A marker is the doorbell a sender rings after the file itself is fully written.
MARKER_NAME = ".ready"


def _user_cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ctm"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CTM_", env_file=".env", extra="ignore")

    home: Path = REPO_ROOT / "var"
    dbt_project_dir: Path = REPO_ROOT / "dbt_project"
    # What this machine's data homes share to save work, never data: dbt's parse of the project and
    # the report's drawn charts, each checked or keyed so that a stale entry is never used.
    cache_dir: Path = Field(default_factory=_user_cache_dir)
    # How often the Airflow triggerer looks for marker files in the landing zone.
    marker_poll_seconds: float = 0.5  # a stat of four folders: cheap, and an event waits at most 0.5 s
    # GOV.UK Content API (release detection) and the download limits of `ctm fetch-nrm`.
    # Polling GOV.UK for a new NRM release (DAG detect_nrm_release) is off until turned on: on a
    # machine that cannot reach GOV.UK it would only fail every hour. docker-compose.yml turns it on.
    detect_nrm_release: bool = False
    govuk_base_url: str = "https://www.gov.uk"
    nrm_collection_path: str = "/government/collections/national-referral-mechanism-statistics"
    fetch_timeout_seconds: float = 30.0
    fetch_attempts: int = 3
    fetch_backoff_seconds: float = 2.0
    fetch_max_bytes: int = 50 * 1024 * 1024
    # Agency returns: size limits (the file, and what a workbook decompresses to), and the deadline.
    return_max_bytes: int = 20 * 1024 * 1024
    return_max_unpacked_bytes: int = 100 * 1024 * 1024
    # Official statistics tables (Children in Need, police recorded crime): the publishers' whole
    # open-data tables are tens of megabytes.
    statistics_max_bytes: int = 200 * 1024 * 1024
    statistics_max_unpacked_bytes: int = 2 * 1024**3
    # Every reader runs in a child process within these limits; a file past them is quarantined.
    reader_memory_bytes: int = 4 * 1024**3
    reader_seconds: float = 600.0
    return_deadline_days: int | None = None  # None: the return definition's (30 days after the quarter)
    # Quality gate: a headline figure moving by more than this share since the period before is a warning.
    change_warning_ratio: float = 0.5
    # How `ctm` logs on standard error: text (for a person), or logfmt / json (one event per line with
    # the file id and release id, for a log collector). Airflow tasks always log logfmt.
    log_format: Literal["text", "logfmt", "json"] = "text"
    # Who readers of a release contact (the spreadsheet's cover, the report): the publishing team.
    publisher_contact: str = (
        "The team publishing these statistics has not set a contact (setting CTM_PUBLISHER_CONTACT)"
    )
    # Webhooks told of each new release (JSON POST; comma-separated). Secrets: environment or .env only.
    release_webhooks: str = ""
    # Disclosure control: published counts from 1 to this threshold are suppressed as [c].
    disclosure_threshold: int = 4
    # Optionally, every published count is also rounded to the nearest multiple of this base (e.g. 5).
    disclosure_rounding_base: int | None = None

    def model_post_init(self, __context: object) -> None:
        self.home = self.home.expanduser().resolve()
        check_disclosure_policy(self.disclosure_threshold, self.disclosure_rounding_base)

    @property
    def webhook_urls(self) -> list[str]:
        return [url.strip() for url in self.release_webhooks.split(",") if url.strip()]

    @property
    def landing_dir(self) -> Path:
        return self.home / "landing"

    def landing_dir_for(self, source: Source) -> Path:
        return self.landing_dir / SOURCES_BY_NAME[source].landing_folder

    @property
    def archive_dir(self) -> Path:
        return self.home / "archive"

    @property
    def quarantine_dir(self) -> Path:
        return self.home / "quarantine"

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    @property
    def snapshot_path(self) -> Path:
        """Readers' copy of the warehouse, replaced atomically after each successful build."""
        return self.home / "snapshot" / "warehouse.duckdb"

    @property
    def published_dir(self) -> Path:
        return self.home / "published"

    @property
    def quality_dir(self) -> Path:
        """Gate results of every validation, kept whether or not the release went out."""
        return self.home / "quality"

    @property
    def dbt_target_dir(self) -> Path:
        return self.home / "dbt" / "target"

    @property
    def dbt_log_dir(self) -> Path:
        return self.home / "dbt" / "logs"

    @property
    def airflow_home(self) -> Path:
        return self.home / "airflow"

    def create_dirs(self) -> None:
        for source in LANDING_SOURCES:
            self.landing_dir_for(source).mkdir(parents=True, exist_ok=True)
        for path in (self.archive_dir, self.quarantine_dir, self.published_dir, self.quality_dir):
            path.mkdir(parents=True, exist_ok=True)


def check_disclosure_policy(threshold: int, rounding_base: int | None) -> None:
    """Refuse a policy that could publish a count from 1 to the threshold, or round to nothing."""
    if threshold < 0:
        raise ValueError(f"CTM_DISCLOSURE_THRESHOLD must be 0 or more, not {threshold}")
    if rounding_base is None:
        return
    if rounding_base < 2:
        raise ValueError(f"CTM_DISCLOSURE_ROUNDING_BASE must be 2 or more (or unset), not {rounding_base}")

    smallest_published = threshold + 1
    if round_to_base(smallest_published, rounding_base) <= threshold:
        raise ValueError(
            f"CTM_DISCLOSURE_ROUNDING_BASE={rounding_base} with CTM_DISCLOSURE_THRESHOLD={threshold} would publish "
            f"{smallest_published} as {round_to_base(smallest_published, rounding_base)}, a count the threshold "
            "suppresses: choose a base that rounds the smallest published count above the threshold"
        )


class ConfigurationError(ValueError):
    """A CTM_* setting that cannot be used, named as it is set (never a validation dump)."""


def _describe(problem: dict) -> str:
    message = problem["msg"].removeprefix("Value error, ")
    if not problem["loc"]:  # a check across settings: its message names them
        return message
    variable = "CTM_" + "_".join(str(part) for part in problem["loc"]).upper()
    return f"{variable}={problem.get('input')!r}: {message[:1].lower()}{message[1:]}"


def get_settings(home: Path | str | None = None) -> Settings:
    """Settings from the environment (and `.env`), with `home` overriding `CTM_HOME` when given.
    Raises ConfigurationError naming each bad variable, its value and what it should be."""
    try:
        return Settings(home=Path(home)) if home is not None else Settings()
    except ValidationError as error:
        raise ConfigurationError("; ".join(_describe(problem) for problem in error.errors())) from None
    except ValueError as error:  # a setting that parses but cannot be used (the disclosure policy)
        raise ConfigurationError(str(error)) from None

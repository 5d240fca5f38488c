"""Settings for fazhi. Everything that differs between deployments comes from the environment."""

import os
import secrets
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("FAZHI_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def _env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


DEFAULT_DATABASE_URL = f"sqlite:///{VAR_DIR / 'fazhi.sqlite3'}"
DATABASE_URL = os.environ.get("DATABASE_URL", DEFAULT_DATABASE_URL)
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the worker read while the other writes.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
elif DATABASES["default"]["ENGINE"].endswith("postgresql") and not _env_bool("PGBOUNCER_TRANSACTION_POOLING"):
    # No JIT for this application's sessions: compiling a large query's filters (the visibility of tracked items at
    # a million cases: 50–190 ms) costs more than running it. Behind pgbouncer, which refuses startup options, set it
    # on the database instead (docs/operations.md).
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
# Behind pgbouncer in transaction pooling, a server-side cursor (QuerySet.iterator()) would outlive its
# transaction's connection; Django then needs them off (docs/operations.md, 省级部署).
if _env_bool("PGBOUNCER_TRANSACTION_POOLING"):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    if DATABASE_URL != DEFAULT_DATABASE_URL and not os.environ.get("FAZHI_ALLOW_GENERATED_KEY"):
        raise RuntimeError("SECRET_KEY 环境变量未设置：使用外部数据库时必须提供 SECRET_KEY。")
    # The embedded default keeps a generated key under var/ so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()


def _timeline_hmac_key() -> str:
    """The key of the HMAC-SM3 chains (timelines, login and operation logs). It lives outside the database, so
    that someone who can only write the database cannot rewrite an event and recompute the chain. Several hosts
    must share it: set TIMELINE_HMAC_KEY (docs/tamper-evidence.md)."""
    key = os.environ.get("TIMELINE_HMAC_KEY", "").strip()
    if key:
        return key
    path = VAR_DIR / "timeline_hmac_key"
    try:
        # O_EXCL and mode 0600 at creation: the key is never readable by others, not even for a moment.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as f:
        f.write(secrets.token_hex(32))
    return path.read_text().strip()


TIMELINE_HMAC_KEY = _timeline_hmac_key()
DEBUG = _env_bool("DEBUG")
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()]
CSRF_FAILURE_VIEW = "fazhi.core.error_views.csrf_failure"  # Chinese page inside the layout

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks_db",
    # Installed so that /api/v1/docs renders ninja's own template with its bundled Swagger UI from static
    # files (without the app ninja loads Swagger UI from a CDN; intranets have no internet).
    "ninja",
    "fazhi.core",
    "fazhi.workdays",
    "fazhi.tracking",
    "fazhi.documents",
    "fazhi.enforcement",  # migrations only: hands its tables to registry and cases
    "fazhi.registry",
    "fazhi.cases",
    "fazhi.complaints",
    "fazhi.inspections",
    "fazhi.requests",
    "fazhi.rulemaking",
    "fazhi.disputes",
    "fazhi.supervision",
    "fazhi.legalservices",
    "fazhi.assessment",
    "fazhi.portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # Strips control and bidi characters from query strings and form fields (issue 8).
    "fazhi.core.input_cleaning.InputCleaningMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before the idle timeout, which leaves a message on the login page.
    "django.contrib.messages.middleware.MessageMiddleware",
    "fazhi.core.middleware.IdleTimeoutMiddleware",
    "fazhi.core.middleware.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "fazhi.urls"
WSGI_APPLICATION = "fazhi.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "fazhi.core.context_processors.navigation",
            ],
        },
    }
]

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [{"NAME": "fazhi.core.passwords.PasswordPolicyValidator"}]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)  # WhiteNoise warns on a missing root before the first collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# --- File store (attachments, imports, generated documents) -------------------------------------------
# Local disk (MEDIA_ROOT) by default. When several hosts serve, point every host at one S3-compatible
# store: STORAGE_URL=s3://KEY:SECRET@host:port/bucket (s3+http:// for plain HTTP), or the S3_* variables,
# which override the parts of STORAGE_URL they name. Timeouts are short so that a store that is down
# fails the request at once (fazhi.core.outage turns it into a 503 page) instead of hanging a worker.
from fazhi.core.storage_config import s3_options  # noqa: E402

_S3_OPTIONS = s3_options(os.environ)
if _S3_OPTIONS:
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
del _S3_OPTIONS

# --- Cache and sessions -----------------------------------------------------------------------------------
# One host: process-local memory. Several hosts: REDIS_URL, so that rate limits, login lockouts and
# sessions hold across hosts. Sessions then live in Redis with the database behind it (cached_db), so a
# Redis restart logs nobody out. Socket timeouts are short: Redis down fails the request fast.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "fazhi"),
            "OPTIONS": {
                "socket_connect_timeout": float(os.environ.get("REDIS_CONNECT_TIMEOUT", "1")),
                "socket_timeout": float(os.environ.get("REDIS_TIMEOUT", "2")),
                "health_check_interval": 30,
            },
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fazhi"}}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Covering indexes (INCLUDE) are a PostgreSQL speed-up; on SQLite the index simply has its key columns.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# An absolute bound on a login (a working day by default), on top of the idle timeout
# (FAZHI["SESSION_IDLE_MINUTES"]); the idle-timeout middleware enforces both, for pages and the API.
SESSION_COOKIE_AGE = int(float(os.environ.get("SESSION_MAX_HOURS", "8")) * 3600)
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES")
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
if SESSION_COOKIE_SECURE:
    # Served over HTTPS only: browsers must not try plain HTTP again for a year (docs/security.md).
    SECURE_HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = _env_bool("HSTS_INCLUDE_SUBDOMAINS", True)
if _env_bool("BEHIND_HTTPS_PROXY"):
    # nginx terminates TLS and sets X-Forwarded-Proto; without this Django sees every request as HTTP.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# E-mail (Django 6.1 MAILERS). Without EMAIL_HOST no mail is sent; notices stay in-app only.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "fazhi@localhost")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": EMAIL_HOST,
            "port": int(os.environ.get("EMAIL_PORT", "25")),
            "username": os.environ.get("EMAIL_HOST_USER", ""),
            "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": _env_bool("EMAIL_USE_TLS"),
            "use_ssl": _env_bool("EMAIL_USE_SSL"),
            "timeout": 20,
        },
    }
    if EMAIL_HOST
    else {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}
}
del EMAIL_HOST

# Project settings (all overridable from the environment).
FAZHI = {
    "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
    "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
    "LOGIN_LOCK_MINUTES": int(os.environ.get("LOGIN_LOCK_MINUTES", "15")),
    # Failed logins from one IP address (any accounts) per window before that address must wait.
    "LOGIN_IP_MAX_FAILURES": int(os.environ.get("LOGIN_IP_MAX_FAILURES", "20")),
    "LOGIN_IP_WINDOW_MINUTES": int(os.environ.get("LOGIN_IP_WINDOW_MINUTES", "15")),
    # Reverse proxies (nginx) whose X-Forwarded-For is believed: the client address is the one they saw.
    "TRUSTED_PROXIES": [p.strip() for p in os.environ.get("TRUSTED_PROXIES", "").split(",") if p.strip()],
    "YELLOW_WORKING_DAYS": int(os.environ.get("YELLOW_WORKING_DAYS", "2")),
    "SCAN_INTERVAL_SECONDS": int(os.environ.get("SCAN_INTERVAL_SECONDS", "300")),
    # Workers (fazhi.core.workers): heartbeat period, and how long a silent worker keeps its running tasks.
    "WORKER_HEARTBEAT_SECONDS": float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "10")),
    "WORKER_LEASE_SECONDS": float(os.environ.get("WORKER_LEASE_SECONDS", "60")),
    # Annual training hours an enforcement officer should reach (local rules commonly set 40).
    "TRAINING_MIN_HOURS": int(os.environ.get("TRAINING_MIN_HOURS", "40")),
    "EMAIL_ENABLED": bool(os.environ.get("EMAIL_HOST")),
    # Inspections of one enterprise per year (all agencies) above which the supervisor is warned.
    "INSPECTION_BURDEN_THRESHOLD": int(os.environ.get("INSPECTION_BURDEN_THRESHOLD", "3")),
    # Login and operation logs are kept at least 180 days (网络安全法 第二十一条); a lower value counts as 180.
    "LOG_RETENTION_DAYS": max(180, int(os.environ.get("LOG_RETENTION_DAYS", "180"))),
    # Finished jobs of 我的任务 (and their result files) are kept this many days; uploads never confirmed, one day.
    "JOB_RETENTION_DAYS": int(os.environ.get("JOB_RETENTION_DAYS", "30")),
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

"""HTTP transport: one keep-alive connection per thread, gzip, retries with backoff and Retry-After."""

from __future__ import annotations

import contextlib
import gzip
import http.client
import json
import random
import ssl
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable, Dict, Mapping, Optional, Tuple
from urllib.parse import quote, urlencode, urlsplit

from ._version import __version__
from .errors import APIError, NetworkError, VigilError, error_for_status

CONTENT_TYPES = {
    "json": "application/json",
    "ndjson": "application/x-ndjson",
    "columns": "application/vnd.vigil.columns+json",
    "csv": "text/csv",
    "parquet": "application/vnd.apache.parquet",
}


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before a request is tried again (seconds)."""

    max_retries: int = 8
    base_delay: float = 0.25
    max_delay: float = 30.0
    max_retry_after: float = 300.0


def backoff_delay(retry: int, policy: RetryPolicy, rnd: Callable[[], float] = random.random) -> float:
    """Exponential backoff with jitter: uniform in the upper half of ``min(max, base * 2**retry)``,
    so that clients that failed together do not come back together."""
    cap = min(policy.max_delay, policy.base_delay * 2.0 ** min(retry, 30))
    return cap / 2 + rnd() * cap / 2


def parse_retry_after(value: Optional[str], now: Optional[float] = None) -> Optional[float]:
    """Seconds to wait according to a ``Retry-After`` header (delay-seconds or an HTTP date)."""
    if value is None:
        return None
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    else:
        return seconds if seconds >= 0 else None
    try:
        when = float(parsedate_to_datetime(text).timestamp())
    except (TypeError, ValueError, IndexError):
        return None
    return max(0.0, when - (time.time() if now is None else now))


def is_retryable_status(status: int) -> bool:
    """Statuses after which the same request may succeed: overload, timeouts, server faults."""
    if status in (408, 429):
        return True
    return status >= 500 and status not in (501, 505)


RetryCallback = Callable[[int, float, str], None]
"""Called before each retry with the retry's number (1 for the first), the delay and the reason."""


def _worth_compressing(content_type: str) -> bool:
    # Parquet is compressed already; gzip would spend time for nothing.
    return not any(t in content_type for t in ("parquet", "octet-stream", "gzip", "zip"))


class Transport:
    """Sends requests to ``<url>/api/v1/...`` and returns the parsed JSON answer."""

    def __init__(
        self,
        url: str,
        api_key: Optional[str],
        *,
        timeout: float,
        policy: RetryPolicy,
        compression: bool,
        on_retry: Optional[RetryCallback] = None,
    ) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"Invalid Vigil server URL {url!r}: expected http://host[:port] or https://...")
        self.url = url.rstrip("/")
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path.rstrip("/")
        self._api_key = api_key
        self._timeout = timeout
        self.policy = policy
        self._compression = compression
        self._on_retry = on_retry
        self._local = threading.local()

    # -- connections ------------------------------------------------------------------------

    def _connection(self) -> Tuple[http.client.HTTPConnection, bool]:
        conn: Optional[http.client.HTTPConnection] = getattr(self._local, "conn", None)
        if conn is not None:
            return conn, True
        if self._https:
            conn = http.client.HTTPSConnection(
                self._host, self._port, timeout=self._timeout, context=ssl.create_default_context()
            )
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        self._local.conn = conn
        return conn, False

    def _drop_connection(self) -> None:
        conn: Optional[http.client.HTTPConnection] = getattr(self._local, "conn", None)
        self._local.conn = None
        if conn is not None:
            conn.close()

    def close(self) -> None:
        """Closes this thread's connection."""
        self._drop_connection()

    def after_fork(self) -> None:
        """Forgets the connections inherited from the parent process: their sockets are its."""
        self._local = threading.local()

    def _roundtrip(
        self, method: str, target: str, body: Optional[bytes], headers: Dict[str, str]
    ) -> Tuple[int, http.client.HTTPMessage, bytes]:
        for fresh_try in (False, True):
            conn, reused = self._connection()
            try:
                conn.request(method, target, body=body, headers=headers)
                response = conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                self._drop_connection()
                # A kept-alive connection the server closed meanwhile: one immediate new try.
                if reused and not fresh_try:
                    continue
                raise
            except BaseException:
                self._drop_connection()
                raise
            if response.will_close:
                self._drop_connection()
            return response.status, response.headers, data
        raise AssertionError("unreachable")

    # -- requests ---------------------------------------------------------------------------

    def target(self, path: str, query: Optional[Mapping[str, Any]] = None) -> str:
        target = f"{self._prefix}/api/v1/{path}"
        if query:
            pairs = [(k, _query_value(v)) for k, v in query.items() if v is not None]
            if pairs:
                target += "?" + urlencode(pairs)
        return target

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        body: Optional[bytes] = None,
        content_type: Optional[str] = None,
        headers: Optional[Mapping[str, str]] = None,
        idempotent: bool,
        content_encoding: Optional[str] = None,
    ) -> Any:
        """Sends a request, retrying as the policy allows, and returns the JSON answer (None when empty).

        Network errors are retried for every request (the request did not get an answer);
        5xx and 408 only for ``idempotent`` ones; 429 and 503 (overload: the server did not
        process the request) always, after the server's ``Retry-After`` when it gives one.
        """
        target = self.target(path, query)
        all_headers = {"Accept": "application/json", "User-Agent": f"vigil-python/{__version__}"}
        if headers:
            all_headers.update(headers)
        if self._api_key:
            all_headers["Authorization"] = f"Bearer {self._api_key}"
        if body is not None:
            all_headers["Content-Type"] = content_type or CONTENT_TYPES["json"]
            if content_encoding is not None:
                all_headers["Content-Encoding"] = content_encoding
            elif self._compression and _worth_compressing(all_headers["Content-Type"]) and len(body) > 512:
                # Level 1: on repetitive JSON it still shrinks the body several times over,
                # at a fraction of the default level's CPU cost.
                body = gzip.compress(body, compresslevel=1, mtime=0)
                all_headers["Content-Encoding"] = "gzip"

        retry = 0
        while True:
            try:
                status, response_headers, data = self._roundtrip(method, target, body, all_headers)
            except (OSError, http.client.HTTPException) as exc:
                if retry >= self.policy.max_retries:
                    raise NetworkError(
                        f"Cannot reach the Vigil server at {self.url}: {exc or type(exc).__name__}",
                        attempts=retry + 1,
                    ) from exc
                self._wait(retry, backoff_delay(retry, self.policy), str(exc) or type(exc).__name__)
                retry += 1
                continue
            if 200 <= status < 300:
                if not data:
                    return None
                try:
                    return json.loads(data)
                except ValueError as exc:
                    raise VigilError(
                        f"The server answered {method} {path} with invalid JSON", code="invalid_response"
                    ) from exc
            overloaded = status in (429, 503)
            retryable = overloaded or (idempotent and is_retryable_status(status))
            if not retryable or retry >= self.policy.max_retries:
                raise _error(status, data, retry + 1)
            asked = parse_retry_after(response_headers.get("Retry-After")) if overloaded else None
            delay = min(asked, self.policy.max_retry_after) if asked is not None else None
            self._wait(
                retry, delay if delay is not None else backoff_delay(retry, self.policy), f"HTTP {status}"
            )
            retry += 1

    def ping(self) -> bool:
        """Whether ``GET /healthz`` answers 200 (one attempt)."""
        try:
            status, _, _ = self._roundtrip("GET", f"{self._prefix}/healthz", None, {})
        except (OSError, http.client.HTTPException):
            return False
        return status == 200

    def _wait(self, retry: int, delay: float, reason: str) -> None:
        if self._on_retry is not None:
            # An observer failing must not change the request's outcome.
            with contextlib.suppress(Exception):
                self._on_retry(retry + 1, delay, reason)
        time.sleep(delay)


def quote_segment(value: str) -> str:
    """A path segment, percent-encoded (model names, ids)."""
    return quote(value, safe="")


def _query_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        from ._values import timestamp_value

        return str(timestamp_value(value))
    return str(value)


def _error(status: int, data: bytes, attempts: int) -> APIError:
    text = data.decode("utf-8", errors="replace").strip()
    code = f"http_{status}"
    message = text or f"HTTP {status}"
    details: Any = None
    try:
        answer = json.loads(text)
    except ValueError:
        answer = None  # Not a JSON error body (a proxy's page, for instance): keep the text.
    if isinstance(answer, dict):
        if isinstance(answer.get("error"), str):
            code = answer["error"]
        if isinstance(answer.get("message"), str):
            message = answer["message"]
        details = answer.get("details")
    return error_for_status(status, code, message, details, attempts)

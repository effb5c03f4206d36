"""Every error the client raises or reports derives from :class:`VigilError`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List, Optional

if TYPE_CHECKING:
    from .types import RejectedRecord


class VigilError(Exception):
    """Base of every error of the client; ``code`` is stable and meant for programs."""

    code: str

    def __init__(self, message: str, *, code: str = "vigil_error") -> None:
        super().__init__(message)
        self.message = message
        self.code = code


class APIError(VigilError):
    """The server answered with an error status (after retries, when the status was retryable).

    ``message`` is the server's message, ``code`` its error code (``error`` in the body) and
    ``details`` whatever else it said (for validation errors, each bad field).
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        details: Any = None,
        attempts: int = 1,
    ) -> None:
        super().__init__(message, code=code)
        self.status = status
        self.details = details
        self.attempts = attempts

    def __str__(self) -> str:
        return f"HTTP {self.status} {self.code}: {self.message}"


class AuthError(APIError):
    """A missing or unknown API key (401), or a key without the scope the request needs (403)."""


class NotFoundError(APIError):
    """An unknown model, version, prediction, monitor or alert (404)."""


class ConflictError(APIError):
    """Something with that name exists already (409)."""


class ValidationError(APIError):
    """The server refused the input: a whole request (400, 413, 414, 415) or some of its records.

    ``rejected`` lists the refused records (position in what was sent, id and the server's
    reason); ``accepted`` counts the records of the same call that were stored.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int,
        code: str,
        details: Any = None,
        attempts: int = 1,
        rejected: Optional[List[RejectedRecord]] = None,
        accepted: int = 0,
    ) -> None:
        super().__init__(message, status=status, code=code, details=details, attempts=attempts)
        self.rejected: List[RejectedRecord] = list(rejected or [])
        self.accepted = accepted

    def __str__(self) -> str:
        if self.status < 300:  # records refused inside a successful request
            return self.message
        return super().__str__()


class NetworkError(VigilError):
    """The server could not be reached (refused, reset, timed out) after every retry."""

    def __init__(self, message: str, *, attempts: int) -> None:
        super().__init__(message, code="network_error")
        self.attempts = attempts


class QueueFullError(VigilError):
    """``log`` was called while ``max_queue`` records were waiting and the client raises when full."""

    def __init__(self, max_queue: int) -> None:
        super().__init__(
            f"The queue holds max_queue = {max_queue} records that are not sent yet; "
            "the record was not queued (use when_full='block' to wait instead)",
            code="queue_full",
        )
        self.max_queue = max_queue


class ClientClosedError(VigilError):
    """A record was logged after ``close()``."""

    def __init__(self) -> None:
        super().__init__("The client is closed; the record was not queued", code="client_closed")


class DeliveryError(VigilError):
    """A batch sent in the background failed for good; its records were not stored.

    ``records`` holds the records themselves (as sent), so that the application can keep them
    elsewhere; ``cause`` is the error of the last attempt.
    """

    def __init__(self, kind: str, model: str, records: List[Dict[str, Any]], cause: VigilError) -> None:
        super().__init__(
            f"{len(records)} {kind} record(s) for model '{model}' were not delivered: {cause}",
            code=cause.code,
        )
        self.kind = kind
        self.model = model
        self.records = records
        self.cause = cause


def error_for_status(
    status: int, code: str, message: str, details: Any = None, attempts: int = 1
) -> APIError:
    """The exception class that fits an HTTP error status."""
    cls: type[APIError]
    if status in (401, 403):
        cls = AuthError
    elif status == 404:
        cls = NotFoundError
    elif status == 409:
        cls = ConflictError
    elif status in (400, 413, 414, 415, 422):
        cls = ValidationError
    else:
        cls = APIError
    return cls(message, status=status, code=code, details=details, attempts=attempts)


class ColumnNotFoundError(VigilError, KeyError):
    """A column named in a mapping is not in the table; the message lists the columns there are."""

    def __init__(self, message: str) -> None:
        super().__init__(message, code="column_not_found")

    def __str__(self) -> str:
        return self.message

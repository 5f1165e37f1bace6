"""The table of REST methods the sandbox portal serves, and what a method sees when it runs.

Each method family registers its functions with :func:`method`; the portal looks names up
case-insensitively. A method takes a :class:`Call` and its parameters and returns the ``result``
value, or a :class:`ListResult` for list methods (which adds ``total`` and ``next`` to the answer).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import errors

if TYPE_CHECKING:
    from .state import PortalState, User


@dataclass(slots=True)
class ListResult:
    items: Any
    total: int | None
    next: int | None = None
    counted: int = 0  # rows a COUNT(*) visited, for the latency model


@dataclass(slots=True)
class Call:
    """One method call: who calls, on which portal, and the cost it runs up."""

    state: PortalState
    user: User
    base_url: str  # scheme://host[:port] the caller used; signed URLs point back there
    auth_kind: str  # "webhook" or "oauth"
    credential: str  # the webhook code or the OAuth client id: the operating budget is kept per credential
    access_token: str | None = None
    rows: int = 0  # rows returned, for the latency model
    counted: int = 0  # rows counted, for the latency model

    def now(self) -> float:
        return self.state.now()

    def require_admin(self, description: str = "Access denied!") -> None:
        if not self.user.admin:
            raise errors.access_denied(description)


@dataclass(frozen=True, slots=True)
class MethodSpec:
    name: str
    func: Callable[[Call, dict[str, Any]], Any]
    scope: str
    upper_keys: bool  # legacy methods read their top-level parameter names in any case
    in_batch: bool


METHODS: dict[str, MethodSpec] = {}

# Byte-level routes under /rest/ (Drive upload and download links): name -> handler(portal, request,
# params, files) -> HttpResponse. They answer bytes, not a method result, and authorise by their token.
RAW_ROUTES: dict[str, Callable[..., Any]] = {}


def raw_route(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def register(func: Callable[..., Any]) -> Callable[..., Any]:
        if name in RAW_ROUTES:
            raise RuntimeError(f"raw route {name} registered twice")
        RAW_ROUTES[name] = func
        return func
    return register


def method(
    name: str, *, scope: str, upper_keys: bool = True, in_batch: bool = True
) -> Callable[[Callable[[Call, dict[str, Any]], Any]], Callable[[Call, dict[str, Any]], Any]]:
    def register(func: Callable[[Call, dict[str, Any]], Any]) -> Callable[[Call, dict[str, Any]], Any]:
        key = name.lower()
        if key in METHODS:
            raise RuntimeError(f"method {name} registered twice")
        METHODS[key] = MethodSpec(key, func, scope, upper_keys, in_batch)
        return func
    return register


def lookup(name: str) -> MethodSpec | None:
    name = name.strip().lower()
    if name.endswith(".json"):
        name = name[: -len(".json")]
    return METHODS.get(name)


def normalise_keys(params: dict[str, Any], upper: bool) -> dict[str, Any]:
    if not upper:
        return params
    # array_change_key_case(CASE_UPPER): when two spellings collide, the later one wins, as in PHP.
    return {str(key).upper(): value for key, value in params.items()}

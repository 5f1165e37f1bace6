"""The sandbox portal: one Bitrix24 portal's REST front door over a :class:`PortalState`.

:meth:`Portal.handle` takes one HTTP exchange through what a real portal does with it, in order:
domain move, the body limit, injected faults, the request-rate bucket, parameter decoding (query,
JSON, form, multipart; PHP rules), routing (webhook or OAuth), authentication, the method itself or
``batch`` (:mod:`.batch`), the operating budget, and the JSON answer with its ``time`` object. The
OAuth server's token endpoint is :mod:`.oauth`. It is thread-safe and does no I/O, so the loopback
server and the in-process transport share it.

Time: the latency model's seconds are *waited* (the answer's ``delay``) and reported; the sandbox's
own run time is only reported, since it has already passed. ``time.processing`` is the methods'
execution time; ``time.duration`` adds the request's overhead, as the captured answers show.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..logs import redact
from . import errors, wire
from .batch import MAX_COMMANDS, run_batch
from .errors import ApiError
from .faults import FaultPlan
from .http import HttpRequest, HttpResponse, UploadedFile, content_type_of, json_object, parse_multipart
from .latency import MODELS, LatencyModel
from .limits import PLANS, LeakyBucket, LimitPlan, OperatingBudget
from .methods import load_all
from .oauth import token_endpoint
from .registry import RAW_ROUTES, Call, ListResult, lookup, normalise_keys
from .state import PortalState, User

log = logging.getLogger("dpo.sandbox")

MAX_BATCH = MAX_COMMANDS
DEFAULT_MAX_BODY = 100 * 1024 * 1024  # the real cloud takes up to 2 GB; the sandbox keeps memory in check
# (unconfirmed) the reference's "~2 KB" URL limit (§11, §16.18): a longer GET gets nginx's 414 page.
DEFAULT_MAX_URL = 2048

# Methods that need an application's context: a webhook is refused (reference §1.1, §16.12). The
# sandbox serves none of them to applications either, so those get ERROR_METHOD_NOT_FOUND.
APP_ONLY = {
    **dict.fromkeys(("placement.bind", "placement.unbind", "placement.get"), "WRONG_AUTH_TYPE"),
    **dict.fromkeys(("event.bind", "event.unbind", "event.get", "event.offline.get", "event.offline.clear",
                     "event.offline.error", "event.offline.list", "disk.storage.getforapp",
                     "bizproc.workflow.template.update"), "ACCESS_DENIED"),
}

_WEBHOOK_PATH = re.compile(r"^/rest/([0-9]+)/([^/]+)/([^/]+)$")
_OAUTH_PATH = re.compile(r"^/rest/([^/]+)$")



@dataclass(slots=True)
class Identity:
    user: User
    kind: str  # "webhook" or "oauth"
    credential: str
    scopes: frozenset[str] | None
    access_token: str | None = None


class Portal:
    """A portal over ``state`` with switchable limits, latency and faults.

    Attributes:
        requests: HTTP requests received (every kind), for tests and benchmarks.
        statuses: answers by HTTP status; 0 counts answers dropped by a fault.
        limit_rejections: 503 ``QUERY_LIMIT_EXCEEDED`` answers caused by the request rate.
        bugs: unexpected exceptions (answered as 500); tests expect it to stay empty.
    """

    def __init__(
        self,
        state: PortalState,
        *,
        limits: LimitPlan = PLANS["off"],
        latency: LatencyModel = MODELS["none"],
        faults: FaultPlan | None = None,
        max_body: int = DEFAULT_MAX_BODY,
        max_url: int = DEFAULT_MAX_URL,
    ) -> None:
        load_all()
        self.state = state
        self.limits = limits
        self.latency = latency
        self.faults = faults or FaultPlan()
        self.max_body = max_body
        self.max_url = max_url
        self.lock = threading.RLock()
        self.bucket = LeakyBucket(limits)
        self.budget = OperatingBudget(limits)
        self.requests = 0
        self.statuses: Counter[int] = Counter()
        self.limit_rejections = 0
        self.bugs: list[str] = []
        self.moved_from: str | None = None
        self.moved_to: str | None = None

    # -- the HTTP exchange ------------------------------------------------------------------------

    def handle(self, request: HttpRequest) -> HttpResponse:
        with self.lock:
            try:
                response = self._handle(request)
            except Exception as error:  # a bug in the sandbox, never a traceback on the wire
                log.exception("sandbox bug while handling %s %s", request.method, redact(request.path))
                self.bugs.append(repr(error))
                response = self._error(errors.internal_error())
            # A dropped answer reached nobody: it counts as status 0, whatever the call would have said.
            self.statuses[0 if response.drop else response.status] += 1
            return response

    def _handle(self, request: HttpRequest) -> HttpResponse:
        self.requests += 1
        if request.path.rstrip("/") == "/oauth/token":
            client_base = f"{request.scheme}://{self.moved_to}" if self.moved_to else request.base_url
            return token_endpoint(self.state, request, client_base)
        if not request.path.startswith("/rest/"):
            return HttpResponse.html(404, "404 Not Found")

        moved = self._domain_move(request)
        if moved is not None:
            return moved
        # nginx refuses these before PHP runs: no call, and nothing counted against the bucket.
        if len(request.path) + len(request.query) + 1 > self.max_url:
            return HttpResponse.html(414, "414 Request-URI Too Large")
        if len(request.body) > self.max_body:
            return HttpResponse.html(413, "413 Request Entity Too Large")

        fault = self.faults.draw()
        if fault == "503":
            return HttpResponse.html(503, "503 Service Temporarily Unavailable")
        if fault == "html":
            return HttpResponse.html(502, "502 Bad Gateway")
        if fault == "500":
            return self._error(errors.internal_error())
        if fault == "limit":
            return self._error(errors.query_limit())

        now = self.state.now()
        if not self.bucket.admit(now):
            self.limit_rejections += 1
            return self._error(errors.query_limit())

        try:
            params, files = self._read_params(request)
        except ApiError as error:
            return self._error(error)

        route = self._route(request.path)
        if route is None:
            return self._error(errors.method_not_found())
        webhook, method_name = route

        raw = RAW_ROUTES.get(method_name.lower().removesuffix(".json"))
        if raw is not None:
            return self._with_fault(fault, lambda: raw(self, request, params, files), drop_only=True)

        try:
            identity = self._authenticate(webhook, params)
        except ApiError as error:
            return self._error(error)
        params.pop("auth", None)

        if fault == "expired":
            if identity.kind == "oauth" and identity.access_token:
                self.state.access_tokens[identity.access_token].expires_at = now
                return self._error(errors.expired_token())
            fault = None

        return self._with_fault(fault, lambda: self._answer(request, identity, method_name, params, now))

    def _with_fault(self, fault: str | None, run: Callable[[], HttpResponse], drop_only: bool = False) -> HttpResponse:
        if fault == "drop" and self.faults.coin():
            return HttpResponse(0, drop=True)  # lost before the portal ran the call
        response = run()
        if fault == "drop":
            response.drop = True  # the call landed; only the answer is lost
        elif fault == "slow" and not drop_only:
            response.delay += self.faults.slow_seconds
        return response

    def _answer(
        self, request: HttpRequest, identity: Identity, method_name: str, params: dict[str, Any], now: float
    ) -> HttpResponse:
        call = Call(self.state, identity.user, request.base_url, identity.kind, identity.credential,
                    identity.access_token)
        overhead = self.latency.per_request
        try:
            if method_name.strip().lower().removesuffix(".json") == "batch":
                body, modelled, processing = run_batch(self, call, identity, params, now)
                # (unconfirmed) the outer batch reports no operating time of its own.
                body["time"] = self.time_object(now, processing, duration=overhead + processing)
            else:
                result, modelled, timing = self.invoke(call, identity, method_name, params, now)
                body = self._envelope(result, self._with_overhead(timing, overhead))
        except ApiError as error:
            response = self._error(error)
            response.delay = overhead
            return response
        return HttpResponse.json(200, wire.dumps(body), overhead + modelled)

    def _error(self, error: ApiError) -> HttpResponse:
        return HttpResponse.json(error.status, wire.dumps(error.body()))

    # -- decoding ---------------------------------------------------------------------------------

    def _route(self, path: str) -> tuple[str | None, str] | None:
        """(webhook "uid/code" or None for OAuth, method name) for a /rest/ path."""
        match = _WEBHOOK_PATH.match(path)
        if match:
            return f"{match.group(1)}/{match.group(2)}", match.group(3)
        match = _OAUTH_PATH.match(path)
        if match:
            return None, match.group(1)
        return None

    def _read_params(self, request: HttpRequest) -> tuple[dict[str, Any], list[tuple[str, UploadedFile]]]:
        params = wire.parse_query(request.query)
        files: list[tuple[str, UploadedFile]] = []
        if request.method != "POST" or not request.body:
            return params, files  # a body on GET is ignored, as on the real portal
        kind = content_type_of(request.headers)
        if kind == "application/json":
            try:
                decoded = json.loads(request.body, parse_constant=_no_constant)
            except (ValueError, RecursionError):  # a UnicodeDecodeError is a ValueError too
                raise errors.bad_json() from None
            params.update(json_object(decoded))
        elif kind == "application/x-www-form-urlencoded":
            params.update(wire.parse_query(request.body))
        elif kind == "multipart/form-data":
            fields, files = parse_multipart(request.body, request.header("content-type"))
            for name, value in fields:
                wire.assign(params, name, value)
        # Any other content type: PHP does not read the body, so the call sees no body parameters.
        return params, files

    def _authenticate(self, webhook: str | None, params: dict[str, Any]) -> Identity:
        state = self.state
        if webhook is not None:
            user_id, _, code = webhook.partition("/")
            hook = state.webhooks.get(code)
            if hook is None or str(hook.user_id) != user_id or hook.user_id not in state.users:
                raise errors.no_auth()
            return Identity(state.users[hook.user_id], "webhook", code, hook.scopes)
        token = params.get("auth")
        if not isinstance(token, str) or not token:
            raise errors.no_auth()
        grant = state.access_tokens.get(token)
        if grant is None or grant.user_id not in state.users:
            raise errors.no_auth()
        if grant.expires_at <= state.now():
            raise errors.expired_token()
        app = state.apps.get(grant.client_id)
        return Identity(state.users[grant.user_id], "oauth", grant.client_id, app.scopes if app else None, token)

    # -- methods ----------------------------------------------------------------------------------

    def invoke(
        self, call: Call, identity: Identity, name: str, params: dict[str, Any], now: float
    ) -> tuple[Any, float, dict[str, Any]]:
        """Run one method at ``now``: (result, the latency model's seconds to wait, its ``time``).

        The operating budget is billed the modelled seconds, the plan's ``call_cost`` and the
        sandbox's own run time. Raises ApiError.
        """
        spec = lookup(name)
        if spec is None:
            refusal = APP_ONLY.get(name.strip().lower().removesuffix(".json"))
            if refusal is not None and identity.kind == "webhook":
                # (unconfirmed) the HTTP status; b24pysdk files both codes under 403.
                raise ApiError(403, refusal, "Application context required")
            raise errors.method_not_found()
        # "basic" methods (profile) need no scope at all.
        if identity.scopes is not None and spec.scope != "basic" and spec.scope not in identity.scopes:
            raise errors.insufficient_scope()
        key = (identity.credential, spec.name)
        if self.budget.blocked(key, now):
            raise errors.operation_time_limit()
        started = time.perf_counter()
        try:
            result = spec.func(call, normalise_keys(params, spec.upper_keys))
        except ApiError:
            spent = self.latency.per_command + self.limits.call_cost + time.perf_counter() - started
            self.budget.spend(key, now, spent)
            raise
        measured = time.perf_counter() - started
        rows = counted = 0
        if isinstance(result, ListResult):
            rows, counted = _row_count(result.items), result.counted
        modelled = self.latency.command_cost(rows, counted)
        processing = modelled + self.limits.call_cost + measured
        self.budget.spend(key, now, processing)
        timing = self.time_object(now, processing, operating=self.budget.used(key, now),
                                  reset_at=self.budget.reset_at(key, now))
        return result, modelled, timing

    def _envelope(self, result: Any, timing: dict[str, Any]) -> dict[str, Any]:
        if isinstance(result, ListResult):
            body: dict[str, Any] = {"result": result.items, "total": result.total or 0}
            if result.next is not None:
                body["next"] = result.next
            body["time"] = timing
            return body
        return {"result": result, "time": timing}

    def time_object(
        self,
        start: float,
        processing: float,
        *,
        duration: float | None = None,
        operating: float = 0.0,
        reset_at: int | None = None,
    ) -> dict[str, Any]:
        """The ``time`` member of an answer: every key b24pysdk requires, plus the operating pair."""
        clock = self.state.clock
        duration = processing if duration is None else duration
        return {
            "start": start,
            "finish": start + duration,
            "duration": duration,
            "processing": processing,
            "date_start": clock.iso(start),
            "date_finish": clock.iso(start + duration),
            "operating_reset_at": int(start + self.limits.operating_window) if reset_at is None else reset_at,
            "operating": round(operating, 6),
        }

    def _with_overhead(self, timing: dict[str, Any], overhead: float) -> dict[str, Any]:
        """A method's ``time`` as the whole request reports it: the overhead adds to ``duration``."""
        return self.time_object(timing["start"], timing["processing"], duration=overhead + timing["processing"],
                                operating=timing["operating"], reset_at=timing["operating_reset_at"])

    # -- domain move ------------------------------------------------------------------------------

    def _domain_move(self, request: HttpRequest) -> HttpResponse | None:
        if self.moved_from is None:
            if self.faults.move_after is None or self.requests <= self.faults.move_after:
                return None
            self.moved_from, self.moved_to = request.host, _other_host(request.host)
        if request.host != self.moved_from:
            return None
        location = f"{request.scheme}://{self.moved_to}{request.path}"
        if request.query:
            location += f"?{request.query}"
        response = HttpResponse.html(302, "302 Found")
        response.headers.append(("Location", location))
        return response


def _row_count(items: Any) -> int:
    """Rows a list answer returned, looking inside a one-key wrapper such as ``{"categories": [...]}``."""
    if isinstance(items, dict) and len(items) == 1:
        inner = next(iter(items.values()))
        if isinstance(inner, list):
            return len(inner)
    return len(items) if isinstance(items, (list, dict)) else 0


def _no_constant(name: str) -> Any:
    """PHP's ``json_decode`` knows no ``NaN`` or ``Infinity``: such a body is not JSON."""
    raise ValueError(f"{name} is not JSON")


def _other_host(host: str) -> str:
    """Where a moved loopback portal goes: the same server under its other loopback name."""
    name, sep, port = host.rpartition(":")
    if not sep:
        name, port = host, ""
    suffix = f":{port}" if port else ""
    if name == "127.0.0.1":
        return f"localhost{suffix}"
    if name == "localhost":
        return f"127.0.0.1{suffix}"
    return f"moved.{name}{suffix}"

"""The sandbox portal: one Bitrix24 portal's REST front door over a :class:`PortalState`.

:meth:`Portal.handle` takes one HTTP exchange through what a real portal does with it, in order:
domain move, injected faults, the request-rate bucket, the body limit, routing (webhook or OAuth),
parameter decoding (query, JSON, form, multipart; PHP rules), authentication, the method itself or
``batch``, the operating budget, and the JSON answer with its ``time`` object. It is thread-safe and
does no I/O, so the loopback server and the in-process transport share it.
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

from . import errors, wire
from .errors import ApiError
from .faults import FaultPlan
from .http import HttpRequest, HttpResponse, UploadedFile, content_type_of, json_object, parse_multipart
from .latency import MODELS, LatencyModel
from .limits import PLANS, LeakyBucket, LimitPlan, OperatingBudget
from .methods import load_all
from .registry import Call, ListResult, lookup, normalise_keys
from .state import PortalState, User

log = logging.getLogger("dpo.sandbox")

MAX_BATCH = 50
DEFAULT_MAX_BODY = 100 * 1024 * 1024  # the real cloud takes up to 2 GB; the sandbox keeps memory in check

_WEBHOOK_PATH = re.compile(r"^/rest/(\d+)/([^/]+)/([^/]+)$")
_OAUTH_PATH = re.compile(r"^/rest/([^/]+)$")
_REFERENCE = re.compile(r"\$(result|result_error|result_total|result_next|result_time)((?:\[[^\]]*\])+)")

# Raw routes under /rest/ that answer with bytes rather than a method result (disk upload and
# download links). Filled by the disk family: name -> handler(portal, request, params, files).
RawHandler = Callable[["Portal", HttpRequest, dict[str, Any], list[tuple[str, UploadedFile]]], HttpResponse]
RAW_ROUTES: dict[str, RawHandler] = {}


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
        statuses: answers by HTTP status.
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
    ) -> None:
        load_all()
        self.state = state
        self.limits = limits
        self.latency = latency
        self.faults = faults or FaultPlan()
        self.max_body = max_body
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
                log.exception("sandbox bug while handling %s %s", request.method, request.path)
                self.bugs.append(repr(error))
                response = self._error(errors.internal_error())
            self.statuses[response.status] += 1
            return response

    def _handle(self, request: HttpRequest) -> HttpResponse:
        self.requests += 1
        if request.path.rstrip("/") == "/oauth/token":
            return self._token_endpoint(request)
        if not request.path.startswith("/rest/"):
            return HttpResponse.html(404, "404 Not Found")

        moved = self._domain_move(request)
        if moved is not None:
            return moved

        fault = self.faults.draw()
        if fault == "503":
            return HttpResponse.html(503, "503 Service Temporarily Unavailable")
        if fault == "html":
            return HttpResponse.html(502, "502 Bad Gateway")
        if fault == "500":
            return self._error(errors.internal_error())

        now = self.state.now()
        if not self.bucket.admit(now):
            self.limit_rejections += 1
            return self._error(errors.query_limit())

        if len(request.body) > self.max_body:
            return HttpResponse.html(413, "413 Request Entity Too Large")

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
        try:
            if method_name.lower().removesuffix(".json") == "batch":
                body, seconds = self._batch(call, identity, params, now)
            else:
                result, seconds, timing = self._invoke(call, identity, method_name, params, now)
                body = self._envelope(result, timing)
        except ApiError as error:
            response = self._error(error)
            response.delay = self.latency.per_request
            return response
        return HttpResponse.json(200, wire.dumps(body), self.latency.per_request + seconds)

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
                decoded = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
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

    def _invoke(
        self, call: Call, identity: Identity, name: str, params: dict[str, Any], now: float
    ) -> tuple[Any, float, dict[str, Any]]:
        """Run one method: (result, modelled seconds, its ``time`` object). Raises ApiError."""
        spec = lookup(name)
        if spec is None:
            raise errors.method_not_found()
        if identity.scopes is not None and spec.scope not in identity.scopes:
            raise errors.insufficient_scope()
        key = (identity.credential, spec.name)
        if self.budget.blocked(key, now):
            raise errors.operation_time_limit()
        started = time.perf_counter()
        try:
            result = spec.func(call, normalise_keys(params, spec.upper_keys))
        except ApiError:
            self.budget.spend(key, now, self.latency.per_command + time.perf_counter() - started)
            raise
        measured = time.perf_counter() - started
        rows = counted = 0
        if isinstance(result, ListResult):
            rows = len(result.items) if isinstance(result.items, (list, dict)) else 0
            counted = result.counted
        seconds = self.latency.command_cost(rows, counted) + self.limits.call_cost + measured
        self.budget.spend(key, now, seconds)
        timing = self._time(now, seconds, self.budget.used(key, now), self.budget.reset_at(key, now))
        return result, seconds, timing

    def _envelope(self, result: Any, timing: dict[str, Any]) -> dict[str, Any]:
        if isinstance(result, ListResult):
            body: dict[str, Any] = {"result": result.items, "total": result.total or 0}
            if result.next is not None:
                body["next"] = result.next
            body["time"] = timing
            return body
        return {"result": result, "time": timing}

    def _time(self, start: float, seconds: float, operating: float, reset_at: int) -> dict[str, Any]:
        clock = self.state.clock
        return {
            "start": start,
            "finish": start + seconds,
            "duration": seconds,
            "processing": seconds,
            "date_start": clock.iso(start),
            "date_finish": clock.iso(start + seconds),
            "operating_reset_at": reset_at,
            "operating": round(operating, 6),
        }

    # -- batch --------------------------------------------------------------------------------------

    def _batch(self, call: Call, identity: Identity, params: dict[str, Any], now: float) -> tuple[dict, float]:
        params = {str(key).lower(): value for key, value in params.items()}
        commands = wire.as_map(params.get("cmd"))
        if len(commands) > MAX_BATCH:
            raise ApiError(400, "ERROR_BATCH_LENGTH_EXCEEDED", "Max batch length exceeded")
        halt = _truthy(params.get("halt"))
        collected: dict[str, dict[str, Any]] = {
            "result": {}, "result_error": {}, "result_total": {}, "result_next": {}, "result_time": {},
        }
        total_seconds = 0.0
        for label, command in commands.items():
            label = str(label)
            moment = now + total_seconds
            try:
                if not isinstance(command, str):
                    raise ApiError(400, "ERROR_ARGUMENT", "Wrong command")
                name, _, query = command.partition("?")
                spec = lookup(name)
                if (spec is not None and (spec.name == "batch" or not spec.in_batch)) or name.strip().lower() in (
                    "batch", "batch.json"
                ):
                    raise ApiError(405, "ERROR_BATCH_METHOD_NOT_ALLOWED", "Method is not allowed for batch usage.")
                command_params = _resolve_references(wire.parse_query(query), collected)
                result, seconds, timing = self._invoke(call, identity, name, command_params, moment)
            except ApiError as error:
                collected["result_error"][label] = error.body()
                total_seconds += self.latency.per_command
                if halt:
                    break
                continue
            total_seconds += seconds
            collected["result_time"][label] = timing
            if isinstance(result, ListResult):
                collected["result"][label] = result.items
                collected["result_total"][label] = result.total or 0
                if result.next is not None:
                    collected["result_next"][label] = result.next
            else:
                collected["result"][label] = result
        timing = self._time(now, total_seconds, 0.0, int(now + self.limits.operating_window))
        return {"result": collected, "time": timing}, total_seconds

    # -- domain move and OAuth ------------------------------------------------------------------------

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

    def _token_endpoint(self, request: HttpRequest) -> HttpResponse:
        params = wire.parse_query(request.query)
        if request.method == "POST" and content_type_of(request.headers) == "application/x-www-form-urlencoded":
            params.update(wire.parse_query(request.body))
        state = self.state
        app = state.apps.get(str(params.get("client_id", "")))
        if app is None or params.get("client_secret") != app.client_secret:
            return self._oauth_error(401, "invalid_client", "Invalid client credentials")
        if params.get("grant_type") != "refresh_token":
            return self._oauth_error(400, "invalid_request", "Unsupported grant_type")
        old = state.refresh_tokens.pop(str(params.get("refresh_token", "")), None)
        if old is None or old.client_id != app.client_id or old.expires_at <= state.now():
            return self._oauth_error(400, "invalid_grant", "Invalid refresh token")
        access, refresh = state.issue_tokens(old.user_id, app.client_id)
        base = request.base_url
        body = {
            "access_token": access,
            "expires": int(state.access_tokens[access].expires_at),
            "expires_in": int(state.token_ttl),
            "scope": ",".join(sorted(app.scopes)) if app.scopes else "crm,lists,disk,bizproc,user",
            "domain": request.host,
            "server_endpoint": f"{base}/rest/",
            "status": "L",
            "client_endpoint": f"{base}/rest/",
            "member_id": state.member_id,
            "user_id": old.user_id,
            "refresh_token": refresh,
        }
        return HttpResponse.json(200, wire.dumps(body))

    def _oauth_error(self, status: int, code: str, description: str) -> HttpResponse:
        return HttpResponse.json(status, wire.dumps({"error": code, "error_description": description}))


def _truthy(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "y", "yes")
    return bool(value)


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


def _resolve_references(params: dict[str, Any], collected: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Replace ``$result[label][...]`` in command parameters with earlier commands' results.

    A value that is exactly one reference takes the referenced value as it is (an array stays an
    array); a reference inside longer text is replaced by its text. (unconfirmed) A path that does
    not exist — the previous page was short — becomes an empty string.
    """
    def resolve(value: Any) -> Any:
        if isinstance(value, dict):
            return {key: resolve(item) for key, item in value.items()}
        if not isinstance(value, str) or "$result" not in value:
            return value
        whole = _REFERENCE.fullmatch(value)
        if whole:
            return _lookup(collected, whole.group(1), whole.group(2))
        return _REFERENCE.sub(lambda match: wire.php_string(_lookup(collected, match.group(1), match.group(2))), value)

    return {key: resolve(item) for key, item in params.items()}


def _lookup(collected: dict[str, dict[str, Any]], kind: str, path: str) -> Any:
    node: Any = collected[kind]
    for segment in re.findall(r"\[([^\]]*)\]", path):
        if isinstance(node, dict):
            node = node.get(segment)
        elif isinstance(node, list) and segment.isdigit() and int(segment) < len(node):
            node = node[int(segment)]
        else:
            return ""
        if node is None:
            return ""
    return node

"""Errors the sandbox portal answers with, in Bitrix24's own codes, texts and HTTP statuses.

Bitrix24 has no uniform "not found": every method family has its own code and wording (see the
reference, §4). The helpers below keep those wordings in one place.
"""

from __future__ import annotations


class ApiError(Exception):
    """An error answer: ``{"error": code, "error_description": description}`` with an HTTP status."""

    def __init__(self, status: int, code: str, description: str) -> None:
        super().__init__(f"{status} {code or '(empty code)'}: {description}")
        self.status = status
        self.code = code
        self.description = description

    def body(self) -> dict[str, str]:
        return {"error": self.code, "error_description": self.description}


# System errors (any method).
def method_not_found() -> ApiError:
    return ApiError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")


def no_auth() -> ApiError:
    return ApiError(401, "NO_AUTH_FOUND", "Wrong authorization data")


def expired_token() -> ApiError:
    return ApiError(401, "expired_token", "The access token provided has expired.")


def insufficient_scope() -> ApiError:
    return ApiError(
        403, "insufficient_scope", "The request requires higher privileges than provided by the access token"
    )


def access_denied(description: str = "Access denied!") -> ApiError:
    return ApiError(403, "ACCESS_DENIED", description)


def query_limit() -> ApiError:
    return ApiError(503, "QUERY_LIMIT_EXCEEDED", "Too many requests")


def operation_time_limit() -> ApiError:
    return ApiError(429, "OPERATION_TIME_LIMIT", "Method is blocked due to operation time limit.")


def internal_error() -> ApiError:
    return ApiError(500, "INTERNAL_SERVER_ERROR", "Internal server error")


def bad_json() -> ApiError:
    # (unconfirmed) what the portal answers to a body that is not JSON under a JSON content type;
    # the stricter plausible behaviour is a clear 400 rather than silently empty parameters.
    return ApiError(400, "INVALID_REQUEST", "Invalid JSON in request body")


# Legacy CRM methods (crm.deal.*, crm.contact.*, crm.company.*): HTTP 400 with an empty code.
def crm_not_found() -> ApiError:
    return ApiError(400, "", "Not found")


def crm_bad_id() -> ApiError:
    return ApiError(400, "", "ID is not defined or invalid.")


def crm_bad_fields() -> ApiError:
    return ApiError(400, "", "Parameter 'fields' must be array.")


def crm_error(description: str) -> ApiError:
    return ApiError(400, "", description)


# crm.category.* and crm.item.*: named codes.
def crm_item_not_found(description: str = "Item not found") -> ApiError:
    return ApiError(400, "NOT_FOUND", description)


def invalid_arg(description: str) -> ApiError:
    return ApiError(400, "INVALID_ARG_VALUE", description)


# lists.*
def lists_error(code: str, description: str) -> ApiError:
    return ApiError(400, code, description)


# disk.*
def disk_not_found(entity_id: object) -> ApiError:
    return ApiError(400, "ERROR_NOT_FOUND", f"Could not find entity with id '{entity_id}'")


def disk_bad_argument(parameter: str) -> ApiError:
    return ApiError(400, "ERROR_ARGUMENT", f"Invalid value of parameter {{{parameter}}}")

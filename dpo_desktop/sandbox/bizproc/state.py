"""State of the business-process family: workflow templates and the workflows started from them.

Seeds add templates with :meth:`BizprocState.add_template`; ``bizproc.workflow.start`` records each
started workflow in :attr:`BizprocState.workflows`, which tests read. A template may name an
*action* (registered with :func:`register_action`) that the sandbox runs when a workflow of that
template starts — how a template that really does something (copy a participant's documents into a
Drive folder) plugs in. Templates keep the action's name, not the function, so the state pickles.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..state import PortalState

# An action gets the portal state and the workflow record (see BizprocState.start).
Action = Callable[["PortalState", dict[str, Any]], None]
_ACTIONS: dict[str, Action] = {}


def register_action(name: str, func: Action) -> None:
    _ACTIONS[name] = func


class BizprocState:
    """Attributes:
        templates: template ID -> record (ID, MODULE_ID, ENTITY, DOCUMENT_TYPE, AUTO_EXECUTE, NAME, ...).
        workflows: workflow ID -> record (ID, TEMPLATE_ID, MODULE_ID, ENTITY, DOCUMENT_ID, STARTED,
            STARTED_BY, MODIFIED, OWNED_UNTIL, PARAMETERS), in start order.
    """

    def __init__(self, root: PortalState) -> None:
        self.root = root
        self.templates: dict[int, dict[str, Any]] = {}
        self.workflows: dict[str, dict[str, Any]] = {}

    def add_template(
        self,
        name: str,
        module_id: str,
        entity: str,
        document_type: str,
        *,
        user_id: int,
        auto_execute: int = 0,
        parameters: dict[str, Any] | None = None,
        system_code: str | None = None,
        action: str | None = None,
    ) -> int:
        template_id = self.root.next_id("bizproc.template")
        self.templates[template_id] = {
            "ID": template_id, "MODULE_ID": module_id, "ENTITY": entity, "DOCUMENT_TYPE": document_type,
            "AUTO_EXECUTE": auto_execute, "NAME": name, "TEMPLATE": [], "PARAMETERS": dict(parameters or {}),
            "VARIABLES": [], "CONSTANTS": [], "MODIFIED": self.root.now(), "IS_MODIFIED": "N",
            "USER_ID": user_id, "SYSTEM_CODE": system_code, "ACTION": action,
        }
        return template_id

    def start(self, template_id: int, document_id: str, *, user_id: int,
              parameters: dict[str, Any] | None = None) -> str:
        """Record a started workflow (the caller has checked the template and document) and run its action."""
        template = self.templates[template_id]
        now = self.root.now()
        workflow_id = self._new_workflow_id(now)
        workflow = {
            "ID": workflow_id, "TEMPLATE_ID": template_id, "MODULE_ID": template["MODULE_ID"],
            "ENTITY": template["ENTITY"], "DOCUMENT_ID": document_id, "STARTED": now, "STARTED_BY": user_id,
            "MODIFIED": now, "OWNED_UNTIL": None, "PARAMETERS": dict(parameters or {}),
        }
        self.workflows[workflow_id] = workflow
        action = _ACTIONS.get(template["ACTION"]) if template["ACTION"] else None
        if action is not None:
            action(self.root, workflow)
        return workflow_id

    def _new_workflow_id(self, now: float) -> str:
        """PHP's ``uniqid('', true)``: 8 hex seconds, 5 hex microseconds, then a random float's digits."""
        while True:
            seconds, fraction = divmod(now, 1)
            candidate = (f"{int(seconds):08x}{int(fraction * 1_000_000):05x}"
                         f"{secrets.randbelow(10)}.{secrets.randbelow(10 ** 8):08d}")
            if candidate not in self.workflows:
                return candidate

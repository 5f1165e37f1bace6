"""user.current/profile and business processes through the client."""

from __future__ import annotations

import pytest

from dpo_desktop.b24 import errors
from dpo_desktop.b24.bizproc import Bizproc, deal_document
from dpo_desktop.b24.user import current_user
from tests.sandbox.portal_fixtures import make_sandbox

from .conftest import client_for, run


def test_current_user_says_whether_an_administrator_calls():
    admin_box, user_box = make_sandbox(), make_sandbox(admin=False)

    async def who(box):
        async with client_for(box) as client:
            return await current_user(client)

    admin, user = run(who(admin_box)), run(who(user_box))
    assert admin.admin and not user.admin
    assert admin.display_name == "Анна Смирнова"


def test_a_business_process_starts_on_a_deal_for_an_administrator():
    box = make_sandbox()
    deal = box.state.crm.deals.add({"TITLE": "ДПО"}, 1)
    template = box.state.bizproc.add_template("Архив документов", "crm", "CCrmDocumentDeal", "DEAL", user_id=1)

    async def scenario():
        async with client_for(box) as client:
            bizproc = Bizproc(client)
            templates = await bizproc.templates()
            workflow = await bizproc.start(template, deal_document(deal))
            return templates, workflow

    templates, workflow = run(scenario())
    assert [item.name for item in templates] == ["Архив документов"]
    assert "." in workflow and len(box.state.bizproc.workflows) == 1


def test_business_processes_are_refused_to_other_users():
    box = make_sandbox(admin=False)

    async def scenario():
        async with client_for(box) as client:
            await Bizproc(client).templates()

    with pytest.raises(errors.AccessError):
        run(scenario())

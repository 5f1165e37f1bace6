"""Portal errors in the words a manager reads on one line of stderr.

The client's typed errors carry the portal's own description (redacted); the command adds what it
means and what to do. Nothing here names a secret: only the portal's address and the profile's name.
"""

from __future__ import annotations

import re

from ..b24 import errors
from ..cli import Failure
from ..portal.discover import Discovery
from ..portal.problems import PROVISION
from ..profiles import ENV_PROFILE, Profile

# Expected while the portal cannot be reached: the cache still answers, the outbox waits.
OFFLINE = (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)
CHECK = "«dpo-desktop portal check»"
SHOWN_PROBLEMS = 3
# Which blocking problems to name first: without a pipeline or the lists nothing else matters.
_PRIORITY = ("read:", "pipeline", "stages", "list:", "list_field:", "deal_field:", "contact_field:")


def rejected_webhook(profile: Profile) -> str:
    if profile.name == ENV_PROFILE:
        fix = "задайте в переменной DPO_B24_WEBHOOK действующий входящий вебхук"
    else:
        fix = (f"создайте на портале новый входящий вебхук и сохраните его: "
               f"dpo-desktop profile add {profile.name} --webhook-stdin")
    return f"Вебхук не принят порталом {profile.portal}: он неверен или отозван; {fix}"


def offline_text(profile: Profile, error: errors.B24Error) -> str:
    return f"Нет связи с порталом {profile.portal} ({error.description})"


def explain(error: errors.B24Error, profile: Profile) -> Failure:
    """The one-line reason for a portal error the command could not get past."""
    if isinstance(error, errors.AuthError) or (isinstance(error, errors.AccessError) and error.status == 401):
        return Failure(rejected_webhook(profile))
    if isinstance(error, errors.AccessError):
        return Failure(f"Портал {profile.portal} отказал в доступе ({error.description}): нужен вебхук "
                       "с правами crm, lists и disk")
    if isinstance(error, OFFLINE):
        return Failure(offline_text(profile, error))
    if isinstance(error, errors.InsecureURLError):
        return Failure(error.description)
    if isinstance(error, errors.ProtocolError):
        return Failure(f"Портал {profile.portal} ответил не так, как отвечает Битрикс24: {error.description}")
    return Failure(f"Портал {profile.portal} ответил ошибкой ({error.description}); возможно, схема ДПО на "
                   f"портале изменилась: проверьте её командой {CHECK}")


def incomplete(discovery: Discovery) -> str:
    """What blocks work with the portal, on one line: the first few problems and where to see the rest."""
    blocking = sorted((problem for problem in discovery.problems if problem.blocking),
                      key=lambda problem: _rank(problem.key))
    shown = [_first_sentence(problem.message) for problem in blocking[:SHOWN_PROBLEMS]]
    more = len(blocking) - len(shown)
    listed = "; ".join(shown) + (f"; и ещё {more}" if more > 0 else "")
    fix = f"; создать недостающее: {PROVISION}" if any(problem.fixable for problem in blocking) else ""
    return f"Схема ДПО на портале неполная: {listed}. Подробности: {CHECK}{fix}"


def _rank(key: str) -> int:
    return next((index for index, prefix in enumerate(_PRIORITY) if key.startswith(prefix)), len(_PRIORITY))


def _first_sentence(message: str) -> str:
    # Problem messages are whole paragraphs; a line of stderr takes the first sentence of each.
    return re.split(r"(?<=[.!?])\s", message.strip(), maxsplit=1)[0].rstrip(".")

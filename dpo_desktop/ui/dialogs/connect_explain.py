"""Why a webhook or a connection check is no good, in one Russian sentence a manager can act on; the
masked form of a webhook that may be shown back."""

from __future__ import annotations

from urllib.parse import urlsplit

from PySide6.QtCore import QCoreApplication

from ...b24 import errors
from ...b24.auth import WebhookAuth, is_loopback
from ...logs import redact
from ...portal.provision import ProvisionError
from ...profiles import ProfileError


def webhook_problem(text: str) -> str | None:
    """Why ``text`` is not a webhook the app may use, in Russian; None when its form is right."""
    text = text.strip()
    if not text:
        return QCoreApplication.translate("ConnectExplain", "Вставьте адрес входящего вебхука: "
                                                            "https://портал/rest/ID/КОД/")
    parts = urlsplit(text)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return QCoreApplication.translate("ConnectExplain", "Адрес вебхука должен начинаться с https:// — скопируйте "
                                                            "его целиком со страницы вебхука на портале")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        return (QCoreApplication.translate("ConnectExplain", "Портал {hostname} открыт по http: вебхук — это пароль, "
                                                             "его можно "
                                                             "передавать только по https. Замените http:// на "
                                                             "https://").format(hostname=parts.hostname))
    try:
        WebhookAuth.from_url(text)
    except errors.B24Error:
        return (QCoreApplication.translate("ConnectExplain", "Это не адрес входящего вебхука Битрикс24: ожидается "
                                                             "https://портал/rest/ID/КОД/ "
                "(Разработчикам → Другое → Входящий вебхук)"))
    return None


def explain_failure(error: BaseException, portal: str) -> str:
    """One Russian sentence on why the check of ``portal`` failed and what to do; never a secret."""
    if isinstance(error, errors.CertificateError):
        return (QCoreApplication.translate("ConnectExplain", "Сертификат портала {portal} не прошёл проверку "
                                                             "({description}). Если "
                                                             "в организации свой удостоверяющий центр, укажите файл "
                                                             "его сертификата "
                                                             "в поле «Файл сертификата (CA)»").format(
            portal=portal, description=error.description))
    if isinstance(error, errors.InsecureURLError):
        return error.description
    if isinstance(error, errors.AuthError) or (isinstance(error, errors.AccessError) and error.status == 401):
        return (QCoreApplication.translate("ConnectExplain", "Портал {portal} не принял вебхук: он неверен или "
                                                             "отозван. Создайте на "
                                                             "портале новый входящий вебхук и вставьте его "
                                                             "адрес").format(portal=portal))
    if isinstance(error, errors.AccessError):
        text = f"{error.code} {error.description}".lower()
        if "rest" in text and ("plan" in text or "тариф" in text or "commercial" in text):
            return (QCoreApplication.translate("ConnectExplain", "На тарифе портала {portal} REST API недоступен (он "
                                                                 "есть на "
                                                                 "коммерческих тарифах): программа не сможет работать "
                                                                 "с этим порталом").format(portal=portal))
        return (QCoreApplication.translate("ConnectExplain", "У вебхука не хватает прав ({description}): при создании "
                                                             "вебхука "
                                                             "отметьте права crm, lists, disk и user (нужен "
                                                             "пользователь с доступом "
                                                             "к CRM)").format(description=error.description))
    if isinstance(error, (errors.UnavailableError, errors.LimitError, errors.OperatingLimitError)):
        return (QCoreApplication.translate("ConnectExplain", "Портал {portal} не отвечает ({description}): проверьте "
                                                             "адрес, "
                                                             "подключение к интернету и попробуйте ещё раз").format(
            portal=portal, description=error.description))
    if isinstance(error, errors.ProtocolError):
        return QCoreApplication.translate("ConnectExplain", "По адресу {portal} отвечает не Битрикс24 ({description}): "
                                                            "проверьте "
                                                            "адрес портала").format(portal=portal,
                                                                                    description=error.description)
    if isinstance(error, errors.B24Error):
        return QCoreApplication.translate("ConnectExplain", "Портал {portal} ответил ошибкой: {description}").format(
            portal=portal, description=error.description)
    if isinstance(error, (ProfileError, ProvisionError)):
        return redact(str(error))
    return redact(QCoreApplication.translate("ConnectExplain", "Проверка не удалась из-за ошибки программы ({kind}: "
                                                               "{error})").format(kind=type(error).__name__,
                                                                                  error=error))


def masked(webhook: str) -> str:
    """The webhook as it may be shown: the portal and the user, the code hidden."""
    auth = WebhookAuth.from_url(webhook)
    return f"{auth.base}/rest/{auth.user_id}/***/"


"""DPO Desk: the document office of a ДПО training organisation, on a Bitrix24 portal."""

__version__ = "0.1.0"

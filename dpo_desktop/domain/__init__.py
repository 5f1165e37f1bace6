"""The office's domain: deals, events, companies, contacts, participants, documents. No Qt, httpx or sqlite."""

"""Certificates for serving the sandbox portal over HTTPS on loopback.

b24pysdk only speaks https (reference §17), so the sandbox needs a certificate a client can verify.
:func:`ensure_certificates` keeps three files in one folder:

- ``ca.pem``: a private certificate authority; this is what clients trust (``verify=ca.pem``,
  ``REQUESTS_CA_BUNDLE``);
- ``server.pem`` and ``server.key`` (0600): the server's certificate, for IP 127.0.0.1 and DNS
  localhost — the domain-move fault sends clients from one loopback name to the other — and its key.

The CA's own key is never written: once it has signed the server certificate it is thrown away, so a
trusted ``ca.pem`` lying around cannot be used to vouch for any other name. Files still valid for a
day are reused, so a client that already trusts ``ca.pem`` keeps working across restarts.
"""

from __future__ import annotations

import datetime
import ipaddress
import logging
import os
import ssl
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.types import CertificatePublicKeyTypes
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

log = logging.getLogger("dpo.sandbox")

LOOPBACK_IP = ipaddress.IPv4Address("127.0.0.1")
LOOPBACK_NAME = "localhost"
VALIDITY = datetime.timedelta(days=365)
RENEW_BEFORE = datetime.timedelta(days=1)  # replace files this close to expiry rather than serve them
CLOCK_SKEW = datetime.timedelta(minutes=5)


@dataclass(frozen=True, slots=True)
class TlsFiles:
    ca_file: Path
    cert_file: Path
    key_file: Path

    @classmethod
    def in_folder(cls, folder: Path) -> TlsFiles:
        return cls(folder / "ca.pem", folder / "server.pem", folder / "server.key")


def ensure_certificates(folder: Path) -> TlsFiles:
    """The CA and server files in ``folder``: the existing ones while valid, else freshly made."""
    folder = Path(folder)
    files = TlsFiles.in_folder(folder)
    if _still_valid(files):
        return files
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    ca_pem, cert_pem, key_pem = _generate()
    _write(files.key_file, key_pem, private=True)
    _write(files.cert_file, cert_pem)
    _write(files.ca_file, ca_pem)
    log.info("sandbox TLS: new certificate authority in %s", folder)
    return files


def server_context(files: TlsFiles) -> ssl.SSLContext:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(files.cert_file, files.key_file)
    return context


# -- making them ----------------------------------------------------------------------------------


def _generate() -> tuple[bytes, bytes, bytes]:
    """(ca.pem, server.pem, server.key) as PEM bytes; ECDSA P-256 throughout (fast to make)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "DPO Desk sandbox"),
        x509.NameAttribute(NameOID.COMMON_NAME, f"DPO Desk sandbox CA {now:%Y-%m-%d %H:%M:%S}"),
    ])
    ca_cert = (
        _builder(ca_name, ca_name, ca_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_key_usage(signing=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )

    server_key = ec.generate_private_key(ec.SECP256R1())
    server_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, LOOPBACK_NAME)])
    server_cert = (
        _builder(server_name, ca_name, server_key.public_key(), now)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(signing=True), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(LOOPBACK_NAME), x509.IPAddress(LOOPBACK_IP)]),
                       critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(server_key.public_key()), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    key_pem = server_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    pem = serialization.Encoding.PEM
    return ca_cert.public_bytes(pem), server_cert.public_bytes(pem), key_pem


def _builder(
    subject: x509.Name, issuer: x509.Name, public_key: CertificatePublicKeyTypes, now: datetime.datetime
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - CLOCK_SKEW)
        .not_valid_after(now + VALIDITY)
    )


def _key_usage(*, signing: bool) -> x509.KeyUsage:
    """A leaf signs handshakes (``digital_signature``); the CA signs certificates only."""
    return x509.KeyUsage(
        digital_signature=signing, content_commitment=False, key_encipherment=False, data_encipherment=False,
        key_agreement=False, key_cert_sign=not signing, crl_sign=not signing, encipher_only=False,
        decipher_only=False,
    )


def _write(path: Path, data: bytes, *, private: bool = False) -> None:
    """Replace ``path`` atomically; mkstemp makes the file 0600, so a private one is never readable by others."""
    handle, temporary = tempfile.mkstemp(prefix=path.name, suffix=".tmp", dir=path.parent)
    try:
        if not private:
            os.chmod(temporary, 0o644)
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# -- checking what is there ---------------------------------------------------------------------


def _still_valid(files: TlsFiles) -> bool:
    """True when all three files exist, belong together, cover both loopback names and last a day more."""
    try:
        ca_cert = x509.load_pem_x509_certificate(files.ca_file.read_bytes())
        server_cert = x509.load_pem_x509_certificate(files.cert_file.read_bytes())
        server_key = serialization.load_pem_private_key(files.key_file.read_bytes(), password=None)
        server_cert.verify_directly_issued_by(ca_cert)
        names = server_cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except (OSError, ValueError, TypeError, InvalidSignature, x509.ExtensionNotFound):
        return False
    if server_key.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ) != server_cert.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    ):
        return False
    if LOOPBACK_IP not in names.get_values_for_type(x509.IPAddress):
        return False
    if LOOPBACK_NAME not in names.get_values_for_type(x509.DNSName):
        return False
    now = datetime.datetime.now(datetime.UTC)
    return all(
        cert.not_valid_before_utc <= now and cert.not_valid_after_utc - RENEW_BEFORE > now
        for cert in (ca_cert, server_cert)
    )

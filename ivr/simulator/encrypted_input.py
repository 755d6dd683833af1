"""Connect's side of encrypted input, for local calls: what a Get customer input block with
`InputEncryption` stores in `$.StoredCustomerInput`.

Connect encrypts the keyed digits with the AWS Encryption SDK under a raw RSA master key: provider id
"AmazonConnect", key id the block's `EncryptionKeyId` (the instance's security key), RSA-OAEP with
SHA-512 and MGF1 over the public key of the block's certificate (`Key`), and stores the base64 of the
message. This module does the same with the public key alone, so the real dip has to decrypt it.

Locally the key pair is made at run time (`local_key_pair`), never written anywhere: the private
key reaches the dip through the simulator's Secrets Manager (moto), the certificate and its id the
flow's placeholders.
"""
from __future__ import annotations

import base64
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache

PROVIDER_ID = "AmazonConnect"
LOCAL_SECURITY_KEY_ID = "00000000-0000-4000-8000-00000000c0de"  # stands for the instance's security key id


@dataclass(frozen=True)
class KeyPair:
    private_key_pem: str
    certificate_pem: str
    key_id: str = LOCAL_SECURITY_KEY_ID


@lru_cache(maxsize=1)
def local_key_pair() -> KeyPair:
    """A 2048-bit RSA key and a self-signed certificate over it, made once per process (2048 bits: a
    4096-bit key takes ~0.8 s here to make, on every `ivr call`; the scheme is the same)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "ivr call: local encrypted input")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=1)).sign(key, hashes.SHA256()))
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    return KeyPair(private_pem.decode(), certificate.public_bytes(serialization.Encoding.PEM).decode())


def encrypt_as_connect(plain: str, certificate_pem: str, key_id: str) -> str:
    """The base64 Encryption SDK message Connect stores for `plain` under the certificate's public key."""
    import aws_encryption_sdk
    from aws_encryption_sdk.identifiers import CommitmentPolicy, EncryptionKeyType, WrappingAlgorithm
    from aws_encryption_sdk.internal.crypto.wrapping_keys import WrappingKey
    from aws_encryption_sdk.key_providers.raw import RawMasterKey
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    public_key = x509.load_pem_x509_certificate(certificate_pem.encode()).public_key()
    public_pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    master_key = RawMasterKey(provider_id=PROVIDER_ID, key_id=key_id.encode(), wrapping_key=WrappingKey(
        wrapping_algorithm=WrappingAlgorithm.RSA_OAEP_SHA512_MGF1, wrapping_key=public_pem,
        wrapping_key_type=EncryptionKeyType.PUBLIC))
    # The SDK's default suite without key commitment (AES-256-GCM, HKDF-SHA384, ECDSA P-384): the guide
    # does not name Connect's suite, and public decrypting Lambdas read its messages under
    # FORBID_ENCRYPT_ALLOW_DECRYPT. The dip reads either kind.
    client = aws_encryption_sdk.EncryptionSDKClient(commitment_policy=CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT)
    message, _header = client.encrypt(source=plain.encode(), key_provider=master_key)
    return base64.b64encode(message).decode()

"""An encrypted file format for backups: AES-256-GCM over 1 MiB chunks.

Each chunk has its own nonce (a random per-file prefix, the chunk number and a "last chunk" flag),
and the file header is bound into every chunk as associated data, so a chunk that is changed,
dropped, reordered or cut off at the end makes decryption fail instead of yielding a shorter
backup. The file never needs to fit in memory.
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

MAGIC = b"NRBACKUP"
VERSION = 1
CHUNK = 1024 * 1024


class SealError(Exception):
    pass


def load_key(text: str) -> bytes:
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise SealError("BACKUP_ENCRYPTION_KEY must be 32 random bytes, base64-encoded "
                        "(python -c 'import os,base64;print(base64.urlsafe_b64encode(os.urandom(32)).decode())').")
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def _nonce(prefix: bytes, number: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", number, 1 if last else 0)


def seal(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    prefix = os.urandom(7)
    header = MAGIC + bytes([VERSION]) + prefix
    target.write(header)
    aead = AESGCM(key)
    number, chunk = 0, source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        last = not following
        sealed = aead.encrypt(_nonce(prefix, number, last), chunk, header)
        target.write(struct.pack(">I", len(sealed)) + sealed)
        if last:
            return
        number, chunk = number + 1, following


def unseal(source: BinaryIO, target: BinaryIO, key: bytes) -> None:
    header = source.read(len(MAGIC) + 8)
    if len(header) != len(MAGIC) + 8 or not header.startswith(MAGIC) or header[len(MAGIC)] != VERSION:
        raise SealError("This is not a Netwerkregie backup (or of an unknown version).")
    prefix, aead, number = header[len(MAGIC) + 1:], AESGCM(key), 0
    while True:
        size_bytes = source.read(4)
        if len(size_bytes) != 4:
            raise SealError("The backup is cut off: its last part is missing.")
        (size,) = struct.unpack(">I", size_bytes)
        sealed = source.read(size)
        for last in (False, True):
            try:
                target.write(aead.decrypt(_nonce(prefix, number, last), sealed, header))
            except InvalidTag:
                continue
            break
        else:
            raise SealError("The backup cannot be decrypted: wrong key, or the file was changed.")
        if last:
            if source.read(1):
                raise SealError("The backup has data after its last part: the file was changed.")
            return
        number += 1

"""The VISCII codec (RFC 1456), which Python does not ship.

VISCII packs all 134 precomposed Vietnamese letters into one byte each by replacing six C0
controls and the whole upper half; older Vietnamese sites and documents still use it.
The table was generated from glibc's iconv VISCII converter.

>>> register()
>>> b"Vi\\xaet Nam".decode("viscii")
'Việt Nam'
"""

from __future__ import annotations

import codecs

DECODING_TABLE: str = (
    "\x00\x01Ẳ\x03\x04ẴẪ\x07\x08\t\n\x0b\x0c\r\x0e\x0f"
    "\x10\x11\x12\x13Ỷ\x15\x16\x17\x18Ỹ\x1a\x1b\x1c\x1dỴ\x1f"
    " !\"#$%&'()*+,-./"
    "0123456789:;<=>?"
    "@ABCDEFGHIJKLMNO"
    "PQRSTUVWXYZ[\\]^_"
    "`abcdefghijklmno"
    "pqrstuvwxyz{|}~\x7f"
    "ẠẮẰẶẤẦẨẬẼẸẾỀỂỄỆỐ"
    "ỒỔỖỘỢỚỜỞỊỎỌỈỦŨỤỲ"
    "Õắằặấầẩậẽẹếềểễệố"
    "ồổỗỠƠộờởịỰỨỪỬơớƯ"
    "ÀÁÂÃẢĂẳẵÈÉÊẺÌÍĨỳ"
    "ĐứÒÓÔạỷừửÙÚỹỵÝỡư"
    "àáâãảăữẫèéêẻìíĩỉ"
    "đựòóôõỏọụùúũủýợỮ"
)
ENCODING_TABLE = codecs.charmap_build(DECODING_TABLE)


def _encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
    return codecs.charmap_encode(text, errors, ENCODING_TABLE)


def _decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
    return codecs.charmap_decode(data, errors, DECODING_TABLE)


def _search(name: str) -> codecs.CodecInfo | None:
    if name.replace("-", "").replace("_", "").lower() != "viscii":
        return None
    return codecs.CodecInfo(name="viscii", encode=_encode, decode=_decode)  # type: ignore[arg-type]


def register() -> None:
    """Make ``"viscii"`` available to ``bytes.decode`` and ``str.encode`` (idempotent)."""
    try:
        codecs.lookup("viscii")
    except LookupError:
        codecs.register(_search)

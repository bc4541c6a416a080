"""Byte-level encoding of the index: unsigned LEB128 varints, little-endian ints."""

from __future__ import annotations


def put_varint(out: bytearray, value: int) -> None:
    """Append ``value`` (>= 0) in 7-bit groups, low group first."""
    while value >= 0x80:
        out.append((value & 0x7F) | 0x80)
        value >>= 7
    out.append(value)


def get_varint(data: bytes, pos: int) -> tuple[int, int]:
    """Read a varint at ``pos``; return (value, position after it)."""
    value = shift = 0
    while True:
        byte = data[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, pos
        shift += 7

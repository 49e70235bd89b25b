"""The stages a page goes through, in order.

decode, html, blocks, boilerplate, whitespace, language, segment, dedup: each is a pure
function ``Document -> Document``.
"""

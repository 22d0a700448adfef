"""GeoReport v2 answers as JSON or XML, the format named by the path's extension; errors in the spec's form.

JSON is a list of objects; XML is a root element holding one element per object (`<services><service>…`),
each field an element, a missing value an empty element, booleans `true`/`false`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal
from xml.etree import ElementTree as ET

from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

Format = Literal["json", "xml"]
XML_TYPE = "application/xml; charset=utf-8"
# The element names of each answer: (root, one item).
SERVICES = ("services", "service")
REQUESTS = ("service_requests", "request")
ERRORS = ("errors", "error")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _element(tag: str, value: Any) -> ET.Element:
    node = ET.Element(tag)
    if isinstance(value, Mapping):
        node.extend(_element(k, v) for k, v in value.items())
    elif isinstance(value, list):
        node.extend(_element(tag.removesuffix("s") or tag, v) for v in value)
    else:
        node.text = _text(value)
    return node


def xml_document(root: str, item: str | None, items: Sequence[Mapping[str, Any]]) -> bytes:
    """`<root><item>…</item>…</root>`, or with `item` None the single object's fields right under `root`."""
    node = ET.Element(root)
    if item is None:
        node.extend(_element(k, v) for k, v in (items[0] if items else {}).items())
    else:
        node.extend(_element(item, entry) for entry in items)
    body: bytes = ET.tostring(node, encoding="utf-8", xml_declaration=True)
    return body


def answer(
    fmt: Format, names: tuple[str, str | None], items: Sequence[BaseModel], *, status: int = 200, single: bool = False
) -> Response:
    """The answer in `fmt`: a JSON list (or object when `single`), or the XML elements `names`."""
    dumped = [i.model_dump(mode="json") for i in items]
    if fmt == "xml":
        return Response(xml_document(names[0], names[1], dumped), status_code=status, media_type=XML_TYPE)
    return JSONResponse(dumped[0] if single else dumped, status_code=status)


def error_answer(fmt: Format, status: int, description: str) -> Response:
    """`[{code, description}]` in JSON, `<errors><error><code/><description/></error></errors>` in XML."""
    entry = {"code": status, "description": description}
    if fmt == "xml":
        return Response(xml_document(*ERRORS, [entry]), status_code=status, media_type=XML_TYPE)
    return JSONResponse([entry], status_code=status)


def format_of(path: str) -> Format:
    return "xml" if path.endswith(".xml") else "json"

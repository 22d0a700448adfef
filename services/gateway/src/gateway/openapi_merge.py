"""One OpenAPI document from the services' documents: their routed paths, components without clashes."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from gateway.routing import upstream_for

COMPONENT_SECTIONS = (
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
)
_PREFIXES = {"issues-api": "Issues", "notify-api": "Notify", "report-api": "Report"}


def merge_documents(own: Mapping[str, Any], services: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """Merge `services` (name → its /openapi.json) into the gateway's `own` document.

    A path is taken from the service the gateway routes it to (so each service's /healthz is left out).
    A component defined identically by several services is kept once; one defined differently keeps its
    name in the first service and is renamed `<Service>_<Name>` in the others, with their `$ref`s rewritten.
    """
    merged: dict[str, Any] = copy.deepcopy(dict(own))
    merged.setdefault("paths", {})
    components: dict[str, dict[str, Any]] = merged.setdefault("components", {})
    tags = {tag["name"]: tag for tag in merged.get("tags", [])}
    for service, document in services.items():
        renames = _clashing_names(components, service, document.get("components", {}))
        document = _rewrite_refs(document, renames) if renames else document
        _place_components(components, document.get("components", {}), renames)
        for path, item in document.get("paths", {}).items():
            routed = upstream_for(path)
            if routed is not None and routed[0] == service:
                merged["paths"][path] = copy.deepcopy(item)
        for tag in document.get("tags", []):
            tags.setdefault(tag["name"], copy.deepcopy(tag))
        for name, item in document.get("webhooks", {}).items():  # what a subscriber receives (notify-api)
            merged.setdefault("webhooks", {})[name] = copy.deepcopy(item)
    if tags:
        merged["tags"] = list(tags.values())
    return merged


def _clashing_names(components: Mapping[str, Any], service: str, incoming: Mapping[str, Any]) -> dict[str, str]:
    """`$ref` renames for the components this service defines differently from one already merged.

    Repeated until nothing changes: a definition that reads the same but points at a renamed component
    means something else, so it is renamed too.
    """
    renames: dict[str, str] = {}
    changed = True
    while changed:
        changed = False
        for section in COMPONENT_SECTIONS:
            existing = components.get(section, {})
            for name, definition in incoming.get(section, {}).items():
                ref = f"#/components/{section}/{name}"
                if ref in renames or name not in existing:
                    continue
                if existing[name] != _rewrite_refs(definition, renames):
                    renames[ref] = f"#/components/{section}/{_PREFIXES.get(service, service)}_{name}"
                    changed = True
    return renames


def _place_components(
    components: dict[str, dict[str, Any]], incoming: Mapping[str, Any], renames: Mapping[str, str]
) -> None:
    for section in COMPONENT_SECTIONS:
        if section not in incoming:
            continue
        target = components.setdefault(section, {})
        prefix = f"#/components/{section}/"
        for name, definition in incoming[section].items():
            name = renames.get(prefix + name, prefix + name).removeprefix(prefix)
            target.setdefault(name, copy.deepcopy(definition))


def _rewrite_refs(node: Any, renames: Mapping[str, str]) -> Any:
    if isinstance(node, dict):
        return {key: _rewrite_value(key, value, renames) for key, value in node.items()}
    if isinstance(node, list):
        return [_rewrite_refs(item, renames) for item in node]
    return node


def _rewrite_value(key: str, value: Any, renames: Mapping[str, str]) -> Any:
    if key == "$ref" and isinstance(value, str):
        return renames.get(value, value)
    return _rewrite_refs(value, renames)


def dangling_refs(document: Mapping[str, Any]) -> list[str]:
    """Every local `$ref` that names nothing in the document (an empty list for a sound document)."""
    missing: list[str] = []
    _collect_refs(document, document, missing)
    return missing


def _collect_refs(node: Any, root: Mapping[str, Any], missing: list[str]) -> None:
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/") and not _resolves(root, ref):
            missing.append(ref)
        for value in node.values():
            _collect_refs(value, root, missing)
    elif isinstance(node, list):
        for item in node:
            _collect_refs(item, root, missing)


def _resolves(root: Mapping[str, Any], ref: str) -> bool:
    node: Any = root
    for part in ref[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, Mapping) or part not in node:
            return False
        node = node[part]
    return True

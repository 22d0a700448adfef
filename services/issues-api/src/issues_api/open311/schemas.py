"""The GeoReport v2 bodies (the spec's field names), each a list in JSON and the spec's elements in XML."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

Open311Status = Literal["open", "closed"]

SERVICE_EXAMPLE: dict[str, Any] = {
    "service_code": "JZFQ",
    "service_name": "简政放权",
    "description": "简政放权 / 优化营商环境专项行动",
    "metadata": False,
    "type": "realtime",
    "keywords": "优化营商环境",
    "group": "优化营商环境",
}
REQUEST_EXAMPLE: dict[str, Any] = {
    "service_request_id": "0b5f0c8e-5a0a-4c1f-9f1e-3a4c2b1d0e9f",
    "status": "open",
    "status_notes": "已受理，已交办责任单位办理。",
    "service_name": "简政放权",
    "service_code": "JZFQ",
    "description": "企业开办材料重复提交",
    "agency_responsible": "石家庄市",
    "service_notice": "受理后 15 个工作日内答复 / answered within 15 working days of acceptance",
    "requested_datetime": "2026-11-20T09:30:00+08:00",
    "updated_datetime": "2026-11-21T10:00:00+08:00",
    "expected_datetime": "2026-12-31T23:59:59+08:00",
    "address": None,
    "address_id": None,
    "zipcode": None,
    "lat": None,
    "long": None,
    "media_url": None,
}


class Service(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [SERVICE_EXAMPLE]})

    service_code: str = Field(description="分类编码 / the category's code")
    service_name: str = Field(description="分类名称 / the category's name")
    description: str
    metadata: bool = Field(description="always false: no extra attributes to fill in")
    type: Literal["realtime"] = "realtime"
    keywords: str
    group: str = Field(description="上级分类或专项行动 / parent category, or the campaign")


class ServiceAttribute(BaseModel):
    code: str
    datatype: str
    required: bool
    description: str


class ServiceDefinition(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{"service_code": "JZFQ", "attributes": []}]})

    service_code: str
    attributes: list[ServiceAttribute] = Field(description="always empty: a description is all a request needs")


class ServiceRequest(BaseModel):
    """A public submission as GeoReport shows it: never a name, phone, email, the text sent or an address."""

    model_config = ConfigDict(json_schema_extra={"examples": [REQUEST_EXAMPLE]})

    service_request_id: str
    status: Open311Status = Field(description="open, or closed (rejected, closed or cancelled)")
    status_notes: str | None = Field(description="对外答复 / the public reply")
    service_name: str | None
    service_code: str | None
    description: str | None = Field(description="台账事项标题（受理后）/ the ledger title, once accepted")
    agency_responsible: str | None = Field(description="责任单位 / the lead unit's name")
    service_notice: str | None
    requested_datetime: str
    updated_datetime: str
    expected_datetime: str | None = Field(description="整改时限（含已批准的延期）/ the deadline in force")
    address: str | None
    address_id: str | None
    zipcode: str | None
    lat: float | None
    long: float | None
    media_url: str | None


class RequestCreated(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "service_request_id": REQUEST_EXAMPLE["service_request_id"],
                    "token": "K7QX-4M2P-9TZB-W3HD",
                    "service_notice": REQUEST_EXAMPLE["service_notice"],
                    "account_id": None,
                }
            ]
        }
    )

    service_request_id: str
    token: str = Field(description="查询码：也可在 /track 页面查询 / the tracking code, for the public tracking page")
    service_notice: str
    account_id: str | None = None


class RequestToken(BaseModel):
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [{"service_request_id": REQUEST_EXAMPLE["service_request_id"], "token": "K7QX-4M2P-9TZB-W3HD"}]
        }
    )

    service_request_id: str
    token: str


class Open311Error(BaseModel):
    code: int = Field(description="the HTTP status")
    description: str

"""Tables of the Integrationslotsen: referral codes behind shareable links and QR codes.

A code carries presets (language, region, topic, service) and a label an office recognises
("Café International Nordstadt"). Nothing about the people who open the link is kept here.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel


class ReferralCode(SQLModel, table=True):
    __tablename__ = "lotsen_referral_code"

    code: str = Field(primary_key=True)
    label: str
    region: str | None = None
    lang: str | None = None
    topic: str | None = None
    service_id: str | None = None
    created_at: datetime
    retired_at: datetime | None = None

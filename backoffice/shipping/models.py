from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from backoffice.db import Base


class Courier(Base):
    """A courier company; the code is Kuaidi100's company code."""

    __tablename__ = "couriers"

    code: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(32), unique=True)
    active: Mapped[bool] = mapped_column(default=True)

"""Platform adapters (Taobao, Pinduoduo, Douyin, Mogujie, Kuaidi100).

Imports nothing from Flask or the database: adapters turn platform JSON into
plain dataclasses and back, so they can be tested against local simulators.
"""

# Importing the adapters registers them under their platform codes.
from integrations import base  # noqa: F401
from integrations.douyin import adapter as _douyin  # noqa: F401
from integrations.kuaidi100 import adapter as _kuaidi100  # noqa: F401
from integrations.mogujie import adapter as _mogujie  # noqa: F401
from integrations.pinduoduo import adapter as _pinduoduo  # noqa: F401
from integrations.taobao import adapter as _taobao  # noqa: F401

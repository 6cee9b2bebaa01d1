"""Local HTTP simulators of the platforms, for tests, the demo shop and the benchmark."""
from __future__ import annotations

from integrations.base import registered


def simulator_for(platform: str, **kwargs):
    from integrations.simulators.douyin import DouyinSimulator
    from integrations.simulators.kuaidi100 import Kuaidi100Simulator
    from integrations.simulators.mogujie import MogujieSimulator
    from integrations.simulators.pinduoduo import PinduoduoSimulator
    from integrations.simulators.taobao import TaobaoSimulator

    classes = {"taobao": TaobaoSimulator, "pinduoduo": PinduoduoSimulator, "douyin": DouyinSimulator,
               "mogujie": MogujieSimulator, "kuaidi100": Kuaidi100Simulator}
    try:
        return classes[platform](**kwargs)
    except KeyError:
        raise KeyError(f"no simulator for {platform!r}; known: {', '.join(sorted(classes))}") from None


PLATFORMS = tuple(registered())  # one simulator for each platform adapter

"""Douyin shop (抖店) open platform."""
from integrations.douyin.signing import event_sign, param_json, sign

__all__ = ["event_sign", "param_json", "sign"]

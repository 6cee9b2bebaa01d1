"""Platform adapters (Taobao, Pinduoduo, Douyin, Mogujie, Kuaidi100).

Imports nothing from Flask or the database: adapters turn platform JSON into
plain dataclasses and back, so they can be tested against local simulators.
"""

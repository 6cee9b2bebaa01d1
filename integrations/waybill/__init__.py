"""Electronic waybill (电子面单) numbers: a small HTTP client and a local
simulator that plays the provider until real credentials exist."""

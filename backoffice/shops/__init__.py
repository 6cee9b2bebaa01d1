"""Shops: one store on one platform, its encrypted credentials and authorisation state."""

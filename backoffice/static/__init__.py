"""Static assets served at /static (a package so the wheel ships it)."""

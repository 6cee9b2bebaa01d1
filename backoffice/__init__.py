"""Back office for a Chinese online handbag shop."""

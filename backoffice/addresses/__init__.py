"""Chinese addresses: administrative divisions and a parser to province / city / district codes."""

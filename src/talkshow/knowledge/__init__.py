"""What the characters know: a knowledge base built at setup from registry data, and answers taken from it.

Import the module you need: ``knowledge.stage`` (a caller's question to a fact, or an honest
"no idea"), ``knowledge.base`` (the SQLite index), ``knowledge.build`` (made once by setup).
"""

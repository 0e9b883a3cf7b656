"""extractors: one module per fact kind, each `extract(text, mask) -> list[Fact]`.

Numbers are found on the raw text with compiled regular expressions (tokenizers split
`137,784.25` into three tokens); words around them are read from short windows.
"""

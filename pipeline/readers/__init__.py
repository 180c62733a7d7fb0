"""One reader per input format. Each module has a `read(data: bytes) -> ReadResult` function;
`pipeline.read.READERS` maps file suffixes to them. Shared types live in `base`."""

from pipeline.cli import entry

entry(prog="python -m pipeline")

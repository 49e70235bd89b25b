"""The subcommands of ``cleaner``; each is a function ``(args, settings) -> exit status``."""

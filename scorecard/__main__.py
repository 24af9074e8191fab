"""``python -m scorecard``: the command line (the same as the ``scorecard`` command)."""

if __name__ == "__main__":
    from scorecard.cli import main

    main(prog_name="scorecard")

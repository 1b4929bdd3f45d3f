"""Publishing to GitHub with the job's token: a check run with every annotation, one PR comment."""

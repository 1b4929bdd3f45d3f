pytest_plugins = ["conftest_pg", "conftest_sandbox", "fake_heroku", "fake_github"]

pytest_plugins = ["tests.conftest_pg"]

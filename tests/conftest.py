pytest_plugins = ["conftest_pg"]

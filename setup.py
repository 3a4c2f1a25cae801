"""Ship the top-level prompts/ folder inside the wheel as the package `bot.prompt_templates`."""

from setuptools import find_packages, setup

setup(
    packages=[*find_packages(include=["bot*", "ingest*"]), "bot.prompt_templates"],
    package_dir={"bot.prompt_templates": "prompts"},
)

"""The audit commands the `gongkai` command offers."""

from gongkai.audits.accessibility.command import a11y
from gongkai.audits.links.command import links

COMMANDS = [links, a11y]

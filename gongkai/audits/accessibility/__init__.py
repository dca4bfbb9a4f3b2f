"""`gongkai a11y`: axe-core (WCAG 2.2 AA tags) in headless Chromium, HTML_CodeSniffer through pa11y-ci,
and the Taiwanese conventions, over every sitemap URL of a site; findings in the audits' shared shape."""

"""The link-validity audit: crawl a site from its sitemap and check every link target once."""

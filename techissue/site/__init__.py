"""The public site: the archive of editions, subscribe pages, the Atom feed and the sitemap."""

<?xml version="1.0" encoding="utf-8"?>{% load i18n %}
<!-- Shows an Atom feed of techissue as a page when a browser opens it; feed readers ignore this file. -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform" xmlns:atom="http://www.w3.org/2005/Atom">
<xsl:output method="html" encoding="utf-8" indent="yes" doctype-system="about:legacy-compat"/>
<xsl:template match="/atom:feed">
<html lang="{{ LANGUAGE_CODE|default:'ko' }}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<title><xsl:value-of select="atom:title"/> · {% translate "Atom feed" %}</title>
<style>body{margin:0 auto;max-width:42rem;padding:1.5rem 1.25rem;font-family:"Pretendard","Apple SD Gothic Neo","Noto Sans KR","Noto Sans CJK KR",system-ui,sans-serif;line-height:1.7;word-break:keep-all;color:#1b1d21}a{color:#2346d6}.note{background:#f6f7f9;border-radius:8px;padding:.8rem 1rem}li{margin:.9rem 0}.meta{color:#5d636e;font-size:.9rem}</style>
</head>
<body>
<p class="note">{% translate "This is an Atom feed. Copy its address into a feed reader to follow new posts:" %} <code><xsl:value-of select="atom:link[@rel='self']/@href"/></code></p>
<h1><xsl:value-of select="atom:title"/></h1>
<p><xsl:value-of select="atom:subtitle"/></p>
<p><a href="{atom:link[@rel='alternate']/@href}">{% translate "Open the website" %}</a></p>
<ul>
<xsl:for-each select="atom:entry">
<li><a href="{atom:link[@rel='alternate']/@href}"><xsl:value-of select="atom:title"/></a>
<div class="meta"><xsl:value-of select="substring(atom:published, 1, 10)"/></div></li>
</xsl:for-each>
</ul>
</body>
</html>
</xsl:template>
</xsl:stylesheet>

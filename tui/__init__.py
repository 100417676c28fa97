"""fielddesk (流动服务台): the staff app for a community's mobile service desk."""

__version__ = "0.1.0"

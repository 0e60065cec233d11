"""The FMS vehicle-request API over HTTP (httpx): HttpFmsGateway and its wire format."""

"""The bundled sample workspace: Maya Chen's (fictional) year, in real export formats."""

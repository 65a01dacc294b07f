"""The web layer: chat page (gradio), JSON API (FastAPI) and /embed.

Importing it switches telemetry off first, before gradio is imported anywhere.
"""

from config import offline

offline()

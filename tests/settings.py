"""Settings for the test suite: techissue's own, over a throwaway data dir and no `.env`."""

import os
import tempfile

# Read before techissue.settings is imported: a test run never touches the developer's ./var or .env.
os.environ.setdefault("TECHISSUE_DATA_DIR", tempfile.mkdtemp(prefix="techissue-test-"))
os.environ["TECHISSUE_ENV_FILE"] = os.devnull
os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-django-0123456789")

from techissue.settings import *  # noqa: F403
from techissue.settings import STATIC_ROOT

# The suite's feeds, pages and newsrooms are served on loopback: allowed here on purpose, and only here.
TECHISSUE_FETCH_ALLOW_NETWORKS = ["127.0.0.0/8"]
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Hashing passwords slowly protects real accounts; in tests it only costs time.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405

"""Settings: sign-in through the municipality's identity provider (OpenID Connect). Imported by
``netwerkregie.settings``; every value comes from the environment (see ``.env.example``)."""

from netwerkregie.env import env_bool, env_int, env_list, env_map, env_str

# --- Sign-in through the municipality's identity provider (OpenID Connect) -------------------
# Authorization code flow with PKCE (S256), as the NL GOV Assurance profile for OIDC asks; the
# endpoints come from the issuer's discovery document. Off while OIDC_ISSUER is empty. Roles stay
# Netwerkregie's: an account is found by its subject claim, never created for an unknown subject
# unless a group in OIDC_GROUP_ROLES maps to a role in OIDC_SELF_REGISTER_ROLES. See README.
OIDC_ISSUER = env_str("OIDC_ISSUER", "").rstrip("/")
OIDC_ENABLED = bool(OIDC_ISSUER)
OIDC_PROVIDER_NAME = env_str("OIDC_PROVIDER_NAME", "")
OIDC_RP_CLIENT_ID = env_str("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("OIDC_CLIENT_SECRET", "")
OIDC_RP_SCOPES = env_str("OIDC_SCOPES", "openid profile email")
OIDC_RP_SIGN_ALGO = env_str("OIDC_SIGN_ALGORITHM", "RS256")
OIDC_SUBJECT_CLAIM = env_str("OIDC_SUBJECT_CLAIM", "sub")
OIDC_EMAIL_CLAIM = env_str("OIDC_EMAIL_CLAIM", "email")
OIDC_NAME_CLAIM = env_str("OIDC_NAME_CLAIM", "name")
OIDC_GROUPS_CLAIM = env_str("OIDC_GROUPS_CLAIM", "")
OIDC_GROUP_ROLES = env_map("OIDC_GROUP_ROLES")
OIDC_SELF_REGISTER_ROLES = env_list("OIDC_SELF_REGISTER_ROLES", [])
# The provider's word for "signed in with more than a password": any of these acr or amr values.
OIDC_MFA_ACR_VALUES = env_list("OIDC_MFA_ACR_VALUES", [])
OIDC_MFA_AMR_VALUES = env_list("OIDC_MFA_AMR_VALUES", ["mfa"])
OIDC_TIMEOUT = env_int("OIDC_TIMEOUT_SECONDS", 10, minimum=1)
OIDC_USE_PKCE = True
OIDC_PKCE_CODE_CHALLENGE_METHOD = "S256"
OIDC_USE_NONCE = True
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc_callback"
OIDC_VERIFY_SSL = env_bool("OIDC_VERIFY_TLS", True)
# client_secret_basic (HTTP Basic), which every provider supports; 0 sends the secret in the body.
OIDC_TOKEN_USE_BASIC_AUTH = env_bool("OIDC_CLIENT_SECRET_BASIC", True)
# Signing out ends the provider's session too (RP-initiated logout), so the next person at a shared PC
# is asked to sign in: the provider's end_session_endpoint from discovery, or this one where set, with
# the ID token kept in the session at sign-in as id_token_hint.
OIDC_STORE_ID_TOKEN = True
OIDC_OP_LOGOUT_ENDPOINT = env_str("OIDC_LOGOUT_ENDPOINT", "").strip()
# The sign-out form on every page leads there: the Content-Security-Policy's form-action allows these
# origins (the issuer's, and the end-session endpoint's where set), and only these.
OIDC_SIGN_OUT_ORIGINS = sorted({"/".join(url.split("/", 3)[:3]) for url in (OIDC_ISSUER, OIDC_OP_LOGOUT_ENDPOINT)
                                if url.startswith(("https://", "http://"))})
